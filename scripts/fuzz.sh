#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, libraries instrumented too) into
# build-fuzz/ (scripts/sanitize-configure) and runs each for SECONDS (default 60): the same as
#   FUZZ_SECONDS=SECONDS ninja -C build-fuzz fuzz
# A crash, hang or memory blow-up fails the run with the input saved under build-fuzz/crashes/;
# see scripts/fuzz-run for the bounds and the corpora, docs/RELIABILITY.md for the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(./scripts/sanitize-configure)
FUZZ_SECONDS=${1:-${FUZZ_SECONDS:-60}} ninja -C "$BUILD" -j "${KNETSIM_JOBS:-$(nproc)}" fuzz
