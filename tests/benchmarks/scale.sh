#!/usr/bin/env bash
# Issue #16's scale table: how each step's time and peak memory grow with the
# catalogue. For each size: `moon data synth` (32-pixel images), `moon data
# check` (decodes every image), the loader's start (bench_loader --start) and
# the Dataset view (bench_dataset_view: first paint, search-as-you-type,
# scrolling); then the growth exponent between consecutive sizes
# (log(t2/t1) / log(n2/n1): 1 is linear).
#
#   tests/benchmarks/scale.sh [BUILD_DIR] [SIZES...]    (default: build/release 10000 100000 1000000)
#   SCALE_DIR=/big/disk keeps the catalogues there (default: a temporary folder, removed at the end)
set -euo pipefail
B=${1:-build/release}
shift || true
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
MOON="$B/app/moon"
BENCH="$B/tests/benchmarks"
WORK=${SCALE_DIR:-$(mktemp -d)}
[ -n "${SCALE_DIR:-}" ] || trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"

# measure NAME SIZE COMMAND...: wall seconds and peak RSS (MiB) of one command.
measure() {
  local name=$1 size=$2
  shift 2
  local t="$WORK/time.txt"
  /usr/bin/time -f "%e %M" -o "$t" "$@" > "$WORK/$name-$size.out" 2>&1 || {
    echo "FAILED: $name at $size (see $WORK/$name-$size.out)" >&2
    tail -5 "$WORK/$name-$size.out" >&2
    return 1
  }
  read -r seconds kib < "$t"
  printf '%s\t%s\t%s\t%s\n' "$name" "$size" "$seconds" "$((kib / 1024))" >> "$RESULTS"
  printf '%-22s %9s products: %8.2f s, peak RSS %6d MiB\n' "$name" "$size" "$seconds" "$((kib / 1024))"
}

# figure NAME SIZE FILE KEY: a figure a benchmark printed (RATIO KEY VALUE ...).
figure() {
  local value
  value=$(awk -v k="$4" '$1 == "RATIO" && $2 == k { print $3 }' "$3")
  printf '%s\t%s\t%s\t-\n' "$1" "$2" "$value" >> "$RESULTS"
  printf '%-22s %9s products: %8s\n' "$1" "$2" "$value"
}

for n in "${SIZES[@]}"; do
  d="$WORK/catalogue-$n"
  rm -rf "$d"
  measure "synth" "$n" "$MOON" data synth --out "$d" --products "$n" --image-size 32 --quiet
  measure "check" "$n" "$MOON" data check "$d"
  measure "loader_start" "$n" "$BENCH/bench_loader" --start "$d"
  if [ -x "$BENCH/bench_dataset_view" ]; then
    measure "dataset_view" "$n" "$BENCH/bench_dataset_view" --data "$d"
    out="$WORK/dataset_view-$n.out"
    figure "view_first_paint_s" "$n" "$out" dataset_view_first_paint_s
    figure "view_load_stall_ms" "$n" "$out" dataset_view_load_stall_ms
    figure "view_search_key_ms" "$n" "$out" dataset_view_search_key_ms
    figure "view_search_delete_ms" "$n" "$out" dataset_view_search_delete_ms
    figure "view_scroll_end_s" "$n" "$out" dataset_view_scroll_end_s
  fi
done

echo
echo "growth exponents (time; memory) between consecutive sizes:"
/usr/bin/python3 - "$RESULTS" <<'PY'
import collections, math, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, n, t, m = line.rstrip("\n").split("\t")
    rows[name].append((int(n), float(t) if t else float("nan"), None if m == "-" else float(m)))
for name, points in rows.items():
    parts = []
    for (n1, t1, m1), (n2, t2, m2) in zip(points, points[1:]):
        def exp(a, b):
            return "%.2f" % (math.log(b / a) / math.log(n2 / n1)) if a and b and a > 0 and b > 0 else "-"
        parts.append("%d->%d: %s%s" % (n1, n2, exp(t1, t2), "" if m1 is None else "; " + exp(m1, m2)))
    print("%-22s %s" % (name, "   ".join(parts)))
PY
