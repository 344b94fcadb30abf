#include "model/runtime/AllocatorPolicy.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

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
  return "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824";
}

}  // namespace moon
