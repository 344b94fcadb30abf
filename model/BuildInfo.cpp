#include "model/BuildInfo.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace moon {

std::string torchVersion() { return TORCH_VERSION; }

bool torchCudaAvailable() { return torch::cuda::is_available(); }

}  // namespace moon
