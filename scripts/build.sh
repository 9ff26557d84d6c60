#!/usr/bin/env bash
# Configures and builds into build/ (or $CIC_BUILD_DIR). Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# Paths relative to the checkout, so a second clone reuses the compiler cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}

build_dir=${CIC_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${CIC_BUILD_TYPE:-RelWithDebInfo}
cmake --build "$build_dir" --parallel "$(nproc)"
