#!/usr/bin/env bash
# Set up a fresh Debian 12 machine, build MOON Workbench and launch it on the demo workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/setup-debian12.sh
cmake --preset release
cmake --build --preset release
# Without a display (a server, CI) the workbench runs under a virtual X server.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run -a build/release/app/moon-workbench "$@"
fi
exec build/release/app/moon-workbench "$@"
