#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite. Needs no display.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/build.sh
cd "${CIC_BUILD_DIR:-build}"
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
