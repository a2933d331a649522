#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and runs each for
# SECONDS (default 60) on a corpus seeded from scenarios/ and tests/. A crash stops the run with
# the reproducer saved under build-fuzz/crashes/; add it to tests as a regression case.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
BUILD=build-fuzz
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKNETSIM_BUILD_FUZZ=ON -DKNETSIM_BUILD_GUI=OFF -DKNETSIM_BUILD_BENCH=OFF >/dev/null
fi
TARGETS=$(sed -n 's/^knetsim_add_fuzzer(\([a-z_]*\) .*/\1/p' tests/fuzz/CMakeLists.txt)
ninja -C "$BUILD" -j "${KNETSIM_JOBS:-$(nproc)}" $TARGETS
mkdir -p "$BUILD/crashes"
for t in $TARGETS; do
  corpus="$BUILD/corpus/$t"
  mkdir -p "$corpus"
  case $t in
    fuzz_scenario) cp -n scenarios/*.yaml scenarios/*/*.yaml tests/core/bad_inputs/*.yaml "$corpus"/ 2>/dev/null || true ;;
    fuzz_value_parsers)
      for s in 10.244.1.5 10.96.0.0/12 0.0.0.0/0 1m30s 2KiB 25Gbps app.kubernetes.io/name http; do
        printf '%s' "$s" > "$corpus/$(echo "$s" | tr '/.' '__')"
      done ;;
  esac
  echo "fuzz: $t for ${SECONDS_EACH}s"
  timeout -k 10 $((SECONDS_EACH + 120)) "$BUILD/tests/fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=20 -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix="$BUILD/crashes/$t-" -print_final_stats=1 "$corpus" 2>&1 |
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|.*deadly signal)" || true
  if ls "$BUILD/crashes/$t-"* >/dev/null 2>&1; then
    echo "fuzz: $t found a crash: $(ls "$BUILD/crashes/$t-"*)" >&2
    exit 1
  fi
done
echo "fuzz: no crashes"
