#!/bin/sh
# Builds and runs every benchmark of tests/benchmarks (issue #9) and prints a
# summary table of ratio vs target. README.md "Benchmarks" explains each figure.
#
#   packaging/bench.sh [--quick] [--no-build] [--threads N]
#
# Environment: BUILD_DIR (default build/release), BENCH_LOG (default
# $BUILD_DIR/bench.log), RETRIEVAL_QUERIES (default 10000; about 10 s here).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/release}
LOG=${BENCH_LOG:-$BUILD_DIR/bench.log}
QUICK=""
BUILD=1
THREADS=""  # empty: each benchmark's default (the workbench's own thread policy)
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=--quick ;;
    --no-build) BUILD=0 ;;
    --threads) THREADS=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# The training comparison's peer is Debian's PyTorch (same LibTorch underneath).
if [ -z "$QUICK" ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get install -y --no-install-recommends python3-torch
fi
if [ $BUILD -eq 1 ]; then
  [ -f "$BUILD_DIR/CMakeCache.txt" ] || cmake --preset release
  cmake --build "$BUILD_DIR" -j2 --target benchmarks
fi
B="$BUILD_DIR/tests/benchmarks"
export QT_QPA_PLATFORM=offscreen MOON_LOG_LEVEL=warn
THREAD_ARGS=""
if [ -n "$THREADS" ]; then THREAD_ARGS="--threads $THREADS"; export OMP_NUM_THREADS=$THREADS; fi
: > "$LOG"
echo "machine: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores" | tee -a "$LOG"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" | tee -a "$LOG"
run() {
  echo "== $*" | tee -a "$LOG"
  "$@" 2>&1 | tee -a "$LOG" || echo "RATIO $(basename "$1") 0 target - FAILED | exit status non-zero" | tee -a "$LOG"
}
run "$B/bench_train" $QUICK $THREAD_ARGS
run "$B/bench_precision" $QUICK $THREAD_ARGS
run "$B/bench_generation" $QUICK $THREAD_ARGS
run "$B/bench_loader" $QUICK $THREAD_ARGS
if [ -n "$QUICK" ]; then run "$B/bench_retrieval" --quick
else run "$B/bench_retrieval" --queries "${RETRIEVAL_QUERIES:-10000}"; fi
run "$B/bench_memory" $QUICK
[ -x "$B/bench_gui" ] && run "$B/bench_gui" $QUICK
run "$B/bench_store" $QUICK
run "$B/bench_runs_feed" $QUICK
[ -x "$B/bench_dataset_view" ] && run "$B/bench_dataset_view" $QUICK
run "$B/bench_ann" $QUICK
echo
echo "Summary (load average at end: $(cut -d' ' -f1-3 /proc/loadavg)); full log: $LOG"
grep '^RATIO ' "$LOG" | awk -F'|' '{ split($1, f, " ");
  printf "%-30s %9s  target %-8s %-7s %s\n", f[2], f[3], f[5], f[6], $2 }'
