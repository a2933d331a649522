#!/usr/bin/env bash
# Installs every Debian 12 package knetsim needs to build, test and run — only those missing,
# so a second run is quiet and takes a second. Root runs apt-get directly; others use sudo.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # the sanitizer + fuzzing build (clang 14 with its ASan/UBSan/libFuzzer runtimes)
  clang libclang-rt-14-dev
  # engine and libraries
  libsimgrid-dev libboost-dev libyaml-cpp-dev nlohmann-json3-dev libfmt-dev libspdlog-dev
  libcli11-dev libssl-dev
  # GUI
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # kernel-facing tests (rule dumps loaded into the real tools, network namespaces)
  iptables nftables iproute2 ipset
  # emulator tests and benchmarks
  curl wrk nginx-core libnginx-mod-stream
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: not root and no sudo: install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
