#include "model/runtime/AllocatorPolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <string>

namespace moon {
namespace {

constexpr int kMmapThreshold = 32 * 1024 * 1024;  // glibc's HEAP_MAX_SIZE / 2 on 64-bit: the largest it accepts
constexpr int kTrimThreshold = 1024 * 1024 * 1024;

}  // namespace

bool keepFreedMemoryForReuse() {
#if defined(__GLIBC__)
  // Setting either one turns off glibc's dynamic adjustment of both, so both are set.
  return mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
#else
  return false;
#endif
}

const char* keepFreedMemoryTunables() {
  // Built from the same constants, so the two forms cannot drift apart.
  static const std::string tunables = "glibc.malloc.mmap_threshold=" + std::to_string(kMmapThreshold) +
                                      ":glibc.malloc.trim_threshold=" + std::to_string(kTrimThreshold);
  return tunables.c_str();
}

}  // namespace moon
