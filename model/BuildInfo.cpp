#include "model/BuildInfo.h"

#include <c10/core/impl/DeviceGuardImplInterface.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "moon/BuildId.h"  // generated: MOON_GIT_COMMIT

#ifndef MOON_VERSION
#define MOON_VERSION "dev"
#endif

namespace moon {

std::string moonVersion() { return MOON_VERSION; }

std::string gitCommit() { return MOON_GIT_COMMIT; }

std::string torchVersion() { return TORCH_VERSION; }

bool torchCudaAvailable() { return torch::cuda::is_available(); }

std::string torchCudaSummary() {
  // The CUDA device guard is registered only when LibTorch's CUDA library is
  // there, so its absence means a CPU-only build rather than a missing GPU.
  if (!c10::impl::hasDeviceGuardImpl(c10::DeviceType::CUDA)) return "CPU only";
  const std::size_t devices = torch::cuda::device_count();
  if (devices == 0) return "CUDA, no device found";
  return "CUDA, " + std::to_string(devices) + (devices == 1 ? " device" : " devices");
}

std::string versionReport(const std::string& program) {
  return program + " " + moonVersion() + " (commit " + gitCommit() + ")\nLibTorch " + torchVersion() + " (" +
         torchCudaSummary() + ")";
}

}  // namespace moon
