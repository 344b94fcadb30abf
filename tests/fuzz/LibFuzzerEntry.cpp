// libFuzzer's entry point for one harness; MOON_FUZZ_HARNESS names it
// (set per executable in CMakeLists.txt).
#include "FuzzTargets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  moon::fuzz::MOON_FUZZ_HARNESS(data, size);
  return 0;
}
