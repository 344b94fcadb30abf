#include "model/runtime/Device.h"

#include "core/base/Error.h"

namespace moon {

torch::Device resolveDevice(const std::string& name, int localRank) {
  const bool cuda = torch::cuda::is_available();
  if (name == "cpu" || (name == "auto" && !cuda)) return torch::Device(torch::kCPU);
  if (name == "cuda" && !cuda) throw ConfigError("device 'cuda': this LibTorch build or machine has no CUDA device");
  if (name == "cuda" || name == "auto") return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(localRank));
  throw ConfigError("device '" + name + "': expected auto, cpu or cuda");
}

}  // namespace moon
