#pragma once

#include <torch/torch.h>

namespace moon {

// log p(tokens[b,t] | ·) from logits [B,L,V] aligned with tokens [B,L]
// (logits[:, t] scores tokens[:, t]); returns [B,L] in float32 or wider.
// Ids outside [0,V) (padding like -1) give 0; mask them out downstream.
torch::Tensor tokenLogProbs(const torch::Tensor& logits, const torch::Tensor& tokens);

}  // namespace moon
