#!/usr/bin/env bash
# Set up a fresh Debian 12 machine, build MOON Workbench and run the whole test suite.
#   test.sh [--asan] [extra ctest arguments]
# --asan builds a second tree (build/asan) with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs the same suite in it (README "Sanitizers").
set -euo pipefail
cd "$(dirname "$0")/.."
preset=release
if [ "${1:-}" = "--asan" ]; then
  preset=asan
  shift
fi
bash packaging/setup-debian12.sh
cmake --preset "$preset"
cmake --build --preset "$preset"
ctest --preset "$preset" "$@"
