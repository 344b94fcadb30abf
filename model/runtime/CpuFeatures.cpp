#include "model/runtime/CpuFeatures.h"

namespace moon {

bool cpuHasNativeBf16() {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  return __builtin_cpu_supports("avx512bf16") != 0;
#else
  return false;
#endif
}

}  // namespace moon
