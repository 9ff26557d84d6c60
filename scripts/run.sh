#!/usr/bin/env bash
# Installs what is missing, builds, and starts CI Companion on the bundled demo data: the
# window where there is a display, the headless igor-compatible server where there is none.
# Extra arguments go to ci-companion.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-debian.sh
scripts/build.sh
exec "${CIC_BUILD_DIR:-build}/app/ci-companion" "$@"
