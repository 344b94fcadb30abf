#!/usr/bin/env bash
# Fuzzes every reader of a file a user may be handed (tests/fuzz: JSONL
# datasets, safetensors, .npy, tokenizer.json, images, training configs, the
# trainer's event lines) with clang's libFuzzer under ASan + UBSan, each for
# SECONDS (default 60), two at a time. Not part of the default test run.
#
#   bash packaging/fuzz.sh [SECONDS] [extra ctest arguments, e.g. -R fuzz_npy]
#
# A finding fails its test and leaves the input in
# build/fuzz/tests/fuzz/artifacts/<target>/; once fixed, keep it as
# tests/fuzz/regressions/<target>/<what-it-found> so the normal suite
# (test_fuzz_replay) replays it for good.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bash packaging/setup-debian12.sh --fuzz
cmake --preset fuzz -DMOON_FUZZ_SECONDS="$seconds"
cmake --build --preset fuzz
ctest --preset fuzz "$@"
