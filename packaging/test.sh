#!/usr/bin/env bash
# Set up a fresh Debian 12 machine, build MOON Workbench and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian12.sh
cmake --preset release
cmake --build --preset release
ctest --preset release "$@"
