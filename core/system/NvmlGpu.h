#pragma once

// GPU utilisation and memory through NVML, loaded at run time
// (libnvidia-ml.so.1 comes with the NVIDIA driver, not with a toolkit), so the
// program neither links against it nor needs it: without a driver,
// available() is false and error() says why.

#include <cstdint>
#include <string>
#include <vector>

namespace moon {

struct GpuSample {
  std::string name;
  unsigned utilizationPercent = 0;  // share of time a kernel ran
  uint64_t memoryUsedBytes = 0;
  uint64_t memoryTotalBytes = 0;
};

class NvmlGpu {
 public:
  // Loads and initialises NVML; never throws.
  NvmlGpu();
  ~NvmlGpu();
  NvmlGpu(const NvmlGpu&) = delete;
  NvmlGpu& operator=(const NvmlGpu&) = delete;

  bool available() const { return api_ != nullptr; }
  // Why NVML is unavailable ("no NVIDIA driver" when the library is absent).
  const std::string& error() const { return error_; }
  // One entry per device; empty when unavailable.
  std::vector<GpuSample> sample() const;

 private:
  struct Api;
  Api* api_ = nullptr;
  void* library_ = nullptr;
  std::string error_;
};

}  // namespace moon
