#!/usr/bin/env bash
# Run as root on a bare Debian 12 machine next to moon-workbench_*_amd64.deb:
# installs the package and uses it end to end with no build tools present.
#   mkdir /tmp/d && cp build/release/package/*.deb packaging/smoke-deb.sh /tmp/d && \
#   (cd /tmp/d && git init -q && git add . && git commit -qm deb) && \
#   ../shared/tools/fresh-machine.sh /tmp/d 'bash smoke-deb.sh'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q ./moon-workbench_*_amd64.deb xvfb xauth
for tool in cc c++ g++ cmake ninja make; do
  if command -v "$tool" >/dev/null; then echo "smoke-deb: build tool '$tool' is installed" >&2; exit 1; fi
done
moon --version
work=$(mktemp -d)
moon data synth --out "$work/data" --products 300
moon workspace init "$work/ws"
moon train --workspace "$work/ws" --preset micro --data "$work/data" --steps 20 >"$work/train.jsonl"
tail -n 1 "$work/train.jsonl"
moon eval --workspace "$work/ws" --run 1
xvfb-run -a moon-workbench --screenshot "$work/workbench.png"
test -s "$work/workbench.png"
test -f /usr/share/bash-completion/completions/moon
test -f /usr/share/applications/moon-workbench.desktop
echo "smoke-deb: screenshot $(stat -c %s "$work/workbench.png") bytes; demo workspace in ~/.local/share/moon"
ls ~/.local/share/moon/*/workspace >/dev/null
echo "smoke-deb: installed size $(dpkg-query -W -f='${Installed-Size}' moon-workbench) KiB"
echo "smoke-deb: ok"
