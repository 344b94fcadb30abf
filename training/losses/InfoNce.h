#pragma once

// InfoNCE over L2-normalised embeddings (inputs are normalised here, so raw
// states work too): logits = (1/τ)·cos(query, candidate), target = the
// query's own positive, cross-entropy over all candidates.
//
// Per-sample weights (dynamic filtering, masking) give a weighted mean,
// Σ w_i ℓ_i / Σ w_i; weights that sum to zero give a zero loss that still
// belongs to the graph.

#include <torch/torch.h>

namespace moon {

// Detached numbers for logs and events.
struct InfoNceStats {
  double accuracy = 0.0;      // share of queries whose positive scores highest of all candidates
  double positiveSim = 0.0;   // mean cos(q_i, p_i)
  double negativeSim = 0.0;   // mean cos(q_i, n_i) with hard negatives, else mean over in-batch negatives
  double margin = 0.0;        // positiveSim − negativeSim
  double pairAccuracy = 0.0;  // share with cos(q_i,p_i) > cos(q_i,n_i); NaN without hard negatives
};

struct InfoNceResult {
  torch::Tensor loss;           // scalar, with gradient
  torch::Tensor perSampleLoss;  // [B] detached, unweighted (for per-modality breakdowns)
  torch::Tensor correct;        // [B] bool, detached: positive ranked first
  InfoNceStats stats;
};

// General form: queries [B,E] against candidates [N,E]; targets [B] int64
// indexes each query's positive in candidates. Every other candidate is a
// negative. Use it when candidates are gathered from several ranks.
// `scale` is 1/τ (a scalar tensor, e.g. LogitScale's output); `weights` [B]
// is optional.
InfoNceResult infoNceOverCandidates(const torch::Tensor& queries, const torch::Tensor& candidates,
                                    const torch::Tensor& targets, const torch::Tensor& scale,
                                    const torch::Tensor& weights = {});

// Triplets with in-batch negatives: query i is scored against all B
// positives and all B hard negatives (2B candidates; B without
// `negatives`), target = positive i.
InfoNceResult infoNce(const torch::Tensor& queries, const torch::Tensor& positives, const torch::Tensor& negatives,
                      const torch::Tensor& scale, const torch::Tensor& weights = {});

// Symmetric alignment of paired views (intra-product image<->text): the mean
// of a→b and b→a InfoNCE, each over the B in-batch partners. Stats average
// both directions.
InfoNceResult symmetricInfoNce(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& scale,
                               const torch::Tensor& weights = {});

}  // namespace moon
