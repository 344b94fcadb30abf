#pragma once

// Fuzz harnesses for every reader of a file a user may be handed. Each takes
// arbitrary bytes, feeds them to the reader the program uses, and checks
// what the reader promises: a clean moon::Error (naming the input) or a
// value that survives its own round trip. Anything else — another exception,
// a crash, an over-allocation, a broken invariant — is a finding.
//
// The same functions run twice: under libFuzzer (clang, ASan + UBSan; the
// `fuzz` preset, packaging/fuzz.sh) and, in the normal suite, over the seed
// corpus and every input that once failed (test_fuzz_replay).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace moon::fuzz {

// True when the reader accepted the input (so the checks of what it returns ran).
using Harness = bool (*)(const uint8_t* data, size_t size);

struct FuzzTarget {
  const char* name;  // also the folder of its seeds (corpus/<name>) and regressions (regressions/<name>)
  Harness run;
};

bool fuzzDatasetJsonl(const uint8_t* data, size_t size);
bool fuzzSafetensors(const uint8_t* data, size_t size);
bool fuzzNpy(const uint8_t* data, size_t size);
bool fuzzTokenizerJson(const uint8_t* data, size_t size);
bool fuzzImage(const uint8_t* data, size_t size);
bool fuzzTrainConfig(const uint8_t* data, size_t size);
bool fuzzTrainEvent(const uint8_t* data, size_t size);

const std::vector<FuzzTarget>& fuzzTargets();
// The target called `name`; a name that is not in fuzzTargets() is violated().
const FuzzTarget& fuzzTarget(const std::string& name);

// A broken invariant: prints `what` and aborts, which libFuzzer reports as a crash.
[[noreturn]] void violated(const std::string& what);

}  // namespace moon::fuzz
