#!/usr/bin/env bash
# Builds the Debian package in one command and says where it is:
#   packaging/deb.sh [OUTDIR]        (default build/release/package)
# Install it with `sudo apt-get install ./moon-workbench_<version>_amd64.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian12.sh
cmake --preset release
cmake --build --preset release --target moon moon-workbench moon_bash_completion
out=$(mkdir -p "${1:-build/release/package}" && cd "${1:-build/release/package}" && pwd)
cpack --config build/release/CPackConfig.cmake -B "$out"
deb=$(ls -t "$out"/moon-workbench_*_amd64.deb | head -1)
echo "deb.sh: $deb ($(du -h "$deb" | cut -f1); installed $(dpkg-deb -f "$deb" Installed-Size) KiB)"
echo "deb.sh: Depends: $(dpkg-deb -f "$deb" Depends)"
