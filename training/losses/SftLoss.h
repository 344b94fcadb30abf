#pragma once

// Teacher-forced next-token cross-entropy on ground-truth traces. The caller
// aligns logits and targets (logits[:, t] predicts targets[:, t]); padding
// and prompt positions are excluded by the mask, whatever ids they hold.

#include <torch/torch.h>

namespace moon {

struct SftResult {
  torch::Tensor loss;     // scalar, mean over real tokens; 0 (in the graph) when there are none
  int64_t tokens = 0;     // real tokens counted
  double accuracy = 0.0;  // share of real tokens whose argmax is the target
};

// logits [B,L,V], targets [B,L] integer, mask [B,L] bool or 0/1.
SftResult maskedTokenCrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets, const torch::Tensor& mask);

}  // namespace moon
