#pragma once
// AdamW state as named tensors, so it can go into a safetensors checkpoint
// instead of LibTorch's pickled archive. Parameters are named by the caller
// (the model's parameter names), which keeps the file readable and lets a
// resume check that every moment belongs to the same parameter.
#include <torch/torch.h>
#include "training/checkpoint/Checkpoint.h"

namespace moon {

// "optim/<name>/exp_avg", "optim/<name>/exp_avg_sq", "optim/<name>/step" for
// every named parameter that has state.
NamedTensors adamWStateTensors(torch::optim::AdamW& optimizer, const NamedTensors& params);

// Rebuilds the state from adamWStateTensors' output. Throws FormatError
// naming `origin` on a shape mismatch.
void loadAdamWState(torch::optim::AdamW& optimizer, const NamedTensors& params, const NamedTensors& saved,
                    const std::string& origin);

// The default CPU generator's state as "rng/cpu", and back.
torch::Tensor cpuRngState();
void setCpuRngState(const torch::Tensor& state);

}  // namespace moon
