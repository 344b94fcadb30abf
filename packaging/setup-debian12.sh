#!/usr/bin/env bash
# Installs every Debian 12 package MOON Workbench needs to build, run and test.
# Idempotent: packages already present are left alone. Works as root or via sudo.
#   setup-debian12.sh [--fuzz]   --fuzz adds clang and its libFuzzer runtime (packaging/fuzz.sh)
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format ccache
  # Qt 6 Widgets, SVG, plotting
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqcustomplot-dev libgl-dev
  # LibTorch (CPU) with Gloo for c10d, and the threaded OpenBLAS it needs to be fast
  libtorch-dev libgloo-dev libopenblas0-pthread
  # images, logging, storage, parsing, retrieval
  libopencv-dev libspdlog-dev libsqlite3-dev nlohmann-json3-dev libpcre2-dev libcli11-dev libfaiss-dev
  # headless GUI tests and screenshots; numpy for independent .npy checks
  xvfb xauth python3 python3-numpy
  # the PyTorch peer of the training benchmark and its parity test (test_peer_parity)
  python3-torch
)
if [ "${1:-}" = "--fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "setup-debian12.sh: run as root or install sudo" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian12.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "setup-debian12.sh: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
