#!/usr/bin/env bash
# Configures (once) and builds knetsim into build/ with Ninja, in Release mode.
# Extra arguments are passed to ninja (e.g. a target name).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KNETSIM_BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release ${KNETSIM_CMAKE_ARGS:-} >/dev/null
fi
JOBS=${KNETSIM_JOBS:-$(nproc)}
ninja -C "$BUILD_DIR" -j "$JOBS" "$@"
