#pragma once

// Rotary position embedding (RoPE, Qwen2 / Hugging Face "rotate half"
// layout). Positions are given per row so left-padded batches and the
// KV-cache steps see the same angles as an unpadded sequence.

#include <torch/torch.h>

namespace moon {

struct RotaryAngles {
  torch::Tensor cos;  // [B,1,L,D]
  torch::Tensor sin;  // [B,1,L,D]
};

// positions [B,L] int64; `headDim` even; angles in the dtype of `like`.
RotaryAngles rotaryAngles(const torch::Tensor& positions, int64_t headDim, double theta, const torch::Tensor& like);

// x [B,H,L,D] -> x rotated by the angles.
torch::Tensor applyRotary(const torch::Tensor& x, const RotaryAngles& angles);

}  // namespace moon
