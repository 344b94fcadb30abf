#pragma once

// The one place a device name becomes a torch::Device (DESIGN.md §2: code is
// device-agnostic; CUDA is used when the LibTorch build has it).

#include <string>

#include <torch/torch.h>

namespace moon {

// "auto" (CUDA device `localRank` when LibTorch has CUDA, else the CPU),
// "cpu" or "cuda". Throws ConfigError naming the value for anything else, or
// for "cuda" without CUDA.
torch::Device resolveDevice(const std::string& name, int localRank = 0);

}  // namespace moon
