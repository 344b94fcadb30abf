#!/bin/sh
# Fuzzes one libFuzzer target for a bounded time (ctest label `fuzz`).
#   run-fuzz-target.sh BINARY SECONDS WORK_DIR ARTIFACT_DIR [SEED_DIR...]
# New inputs go to WORK_DIR; the seed folders (in the source tree) are only
# read, and those that do not exist yet (no finding so far) are left out.
set -eu
binary=$1 seconds=$2 work=$3 artifacts=$4
shift 4
mkdir -p "$work" "$artifacts"
seeds=""
for d in "$@"; do
  if [ -d "$d" ]; then seeds="$seeds $d"; fi
done
# shellcheck disable=SC2086 # seed folders have no spaces (tests/fuzz/corpus/<name>)
exec "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" $seeds
