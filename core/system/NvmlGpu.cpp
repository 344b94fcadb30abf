#include "core/system/NvmlGpu.h"

#include <dlfcn.h>

namespace moon {
namespace {

// The few NVML declarations used (nvml.h is not installed with the driver).
using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDeviceOpaque*;
struct nvmlUtilization_t {
  unsigned int gpu;
  unsigned int memory;
};
struct nvmlMemory_t {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
constexpr nvmlReturn_t kNvmlSuccess = 0;

template <class F>
F symbol(void* library, const char* name) {
  return reinterpret_cast<F>(dlsym(library, name));
}

}  // namespace

struct NvmlGpu::Api {
  nvmlReturn_t (*init)();
  nvmlReturn_t (*shutdown)();
  nvmlReturn_t (*count)(unsigned int*);
  nvmlReturn_t (*handle)(unsigned int, nvmlDevice_t*);
  nvmlReturn_t (*name)(nvmlDevice_t, char*, unsigned int);
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*);
  nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*);
};

NvmlGpu::NvmlGpu() {
  library_ = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library_) {
    error_ = "no NVIDIA driver";
    return;
  }
  auto* api = new Api;
  api->init = symbol<decltype(api->init)>(library_, "nvmlInit_v2");
  api->shutdown = symbol<decltype(api->shutdown)>(library_, "nvmlShutdown");
  api->count = symbol<decltype(api->count)>(library_, "nvmlDeviceGetCount_v2");
  api->handle = symbol<decltype(api->handle)>(library_, "nvmlDeviceGetHandleByIndex_v2");
  api->name = symbol<decltype(api->name)>(library_, "nvmlDeviceGetName");
  api->utilization = symbol<decltype(api->utilization)>(library_, "nvmlDeviceGetUtilizationRates");
  api->memory = symbol<decltype(api->memory)>(library_, "nvmlDeviceGetMemoryInfo");
  if (!api->init || !api->shutdown || !api->count || !api->handle || !api->name || !api->utilization || !api->memory) {
    error_ = "the NVIDIA management library lacks expected functions";
  } else if (api->init() != kNvmlSuccess) {
    error_ = "the NVIDIA driver did not initialise";
  } else {
    api_ = api;
    return;
  }
  delete api;
  dlclose(library_);
  library_ = nullptr;
}

NvmlGpu::~NvmlGpu() {
  if (api_) {
    api_->shutdown();
    delete api_;
  }
  if (library_) dlclose(library_);
}

std::vector<GpuSample> NvmlGpu::sample() const {
  std::vector<GpuSample> out;
  if (!api_) return out;
  unsigned int n = 0;
  if (api_->count(&n) != kNvmlSuccess) return out;
  for (unsigned int i = 0; i < n; ++i) {
    nvmlDevice_t device = nullptr;
    if (api_->handle(i, &device) != kNvmlSuccess) continue;
    GpuSample s;
    char name[96] = {};
    if (api_->name(device, name, sizeof name) == kNvmlSuccess) s.name = name;
    nvmlUtilization_t u{};
    if (api_->utilization(device, &u) == kNvmlSuccess) s.utilizationPercent = u.gpu;
    nvmlMemory_t m{};
    if (api_->memory(device, &m) == kNvmlSuccess) {
      s.memoryUsedBytes = m.used;
      s.memoryTotalBytes = m.total;
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace moon
