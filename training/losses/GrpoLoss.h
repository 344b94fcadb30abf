#pragma once

// The GRPO policy loss (DESIGN.md §2, stage 2). Per real token t of
// sequence b, with ratio ρ = exp(logp − old) and advantage A_b:
//   ℓ = −min(ρ·A, clip(ρ, 1 − clip_low, 1 + clip_high)·A) + β·k3
//   k3 = exp(ref − logp) − (ref − logp) − 1   (≥ 0, an unbiased KL(π‖ref) estimate)
// and the loss is the token-level mean over every real token of the group
// (DAPO): long traces are not down-weighted per token.
//
// Numerical guards (verl): the log-ratio is clamped to [−20, 20] before
// exp, and k3 to at most 10, so one wild token cannot make the step NaN.

#include <torch/torch.h>

#include "training/losses/GrpoConfig.h"

namespace moon {

struct GrpoResult {
  torch::Tensor loss;         // scalar, with gradient through `logProbs`
  double policyLoss = 0.0;    // mean clipped-surrogate term (without β·KL)
  double klMean = 0.0;        // mean k3 over real tokens
  double clipFraction = 0.0;  // share of real tokens where the clipped term is the one taken
  double ratioMean = 0.0;     // mean ρ over real tokens
  int64_t tokens = 0;
};

// logProbs [B,L]: the policy's log-probs of the sampled tokens, with gradient.
// oldLogProbs [B,L]: log-probs at sampling time; undefined means "this very
//   policy" (one update per sample: ρ = 1 with the policy gradient intact).
// refLogProbs [B,L]: the frozen reference; undefined drops the KL (klMean 0);
//   with kl_beta 0 the KL is reported but not optimised.
// mask [B,L] bool or 0/1; advantages [B].
GrpoResult grpoLoss(const torch::Tensor& logProbs, const torch::Tensor& oldLogProbs, const torch::Tensor& refLogProbs,
                    const torch::Tensor& mask, const torch::Tensor& advantages, const GrpoConfig& options = {});

}  // namespace moon
