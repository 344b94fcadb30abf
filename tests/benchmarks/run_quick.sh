#!/bin/sh
# ctest smoke test (label "bench"): every benchmark runs in --quick mode and
# must exit 0 and print at least one "RATIO" line. Speed is not checked.
status=0
for exe in "$@"; do
  out=$("$exe" --quick 2>&1)
  rc=$?
  echo "$out"
  if [ $rc -ne 0 ] || ! echo "$out" | grep -q '^RATIO '; then
    echo "FAILED: $exe (exit $rc)" >&2
    status=1
  fi
done
exit $status
