#pragma once

#include <torch/torch.h>

namespace moon {

// log p(tokens[b,t] | ·) from logits [B,L,V] aligned with tokens [B,L]
// (logits[:, t] scores tokens[:, t]); returns [B,L] in float32 or wider.
// Ids outside [0,V) (padding like -1) give 0; mask them out downstream.
torch::Tensor tokenLogProbs(const torch::Tensor& logits, const torch::Tensor& tokens);

// Entropy (nats) of the next-token distribution at every position of logits
// [B,L,V], over the first `vocabLimit` ids (the ones sampling may pick;
// ≤ 0: all V), at temperature 1. [B,L], float32 or wider, no gradient. The
// policy entropy an RL practitioner watches: a collapse to 0 means GRPO's
// samples stopped differing.
torch::Tensor tokenEntropy(const torch::Tensor& logits, int64_t vocabLimit = 0);

// Mean of `values` over the positions where `mask` is true (0 when none).
double maskedMean(const torch::Tensor& values, const torch::Tensor& mask);

}  // namespace moon
