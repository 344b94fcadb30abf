// libFuzzer's entry point for one harness; MOON_FUZZ_TARGET names it as
// fuzzTargets() does (set per executable in CMakeLists.txt).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const moon::fuzz::Harness harness = moon::fuzz::fuzzTarget(MOON_FUZZ_TARGET).run;
  harness(data, size);
  return 0;
}
