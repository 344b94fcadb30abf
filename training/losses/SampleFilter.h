#pragma once

// Dynamic sample filtering (MOON2.0): each triplet's margin
// Δ = cos(q,p) − cos(q,n) sets its weight sigmoid(κ(Δ − mean Δ)), rescaled
// to mean 1 so the loss keeps its scale. With κ > 0 triplets whose
// near-duplicate already beats the positive by far (likely label noise)
// count less; κ < 0 favours the hard ones instead. No gradient flows
// through the weights.

#include <torch/torch.h>

namespace moon {

// margins [B] → weights [B], detached, mean 1.
torch::Tensor dynamicFilterWeights(const torch::Tensor& margins, double kappa);

// Same, with Δ computed from (not necessarily normalised) embeddings [B,E].
torch::Tensor dynamicFilterWeights(const torch::Tensor& queries, const torch::Tensor& positives,
                                   const torch::Tensor& negatives, double kappa);

}  // namespace moon
