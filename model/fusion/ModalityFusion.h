#pragma once

// Multi-head modality fusion, MMF [design choice, DESIGN.md §1]. The
// last-layer <emb> state queries three token sets with separate attention
// heads — raw image tokens (merger output), raw title tokens (input
// embeddings) and the reasoning tokens (last-layer trace states). A softmax
// gate computed from the <emb> state weights every head of every modality;
// absent modalities get weight 0. The weighted heads are projected back to
// the model width and added to the <emb> state (MoonModel's head follows).

#include <array>

#include <torch/torch.h>

#include "model/fusion/FusionSets.h"
#include "model/layers/RMSNorm.h"

namespace moon {

struct FusionTokens {
  torch::Tensor tokens;  // [B,T,D] (T may be 0)
  torch::Tensor mask;    // [B,T] bool, true = real token
};

struct FusionOutput {
  torch::Tensor fused;  // [B,D] to add to the <emb> state
  torch::Tensor gates;  // [B,3,H] head weights, summing to 1 over present sets (0 if none)
};

class ModalityFusionImpl : public torch::nn::Module {
 public:
  // `used[m]` false: set m has no parameters and is always absent (the
  // reasoning set of a model without reasoning).
  ModalityFusionImpl(int64_t dim, int64_t heads, double eps, std::array<bool, kFusionSets> used = {true, true, true});
  FusionOutput forward(const torch::Tensor& query, const std::array<FusionTokens, kFusionSets>& sets);

 private:
  int64_t dim_, heads_;
  std::array<bool, kFusionSets> used_;
  std::array<RMSNorm, kFusionSets> norms_{nullptr, nullptr, nullptr};
  std::array<torch::nn::Linear, kFusionSets> q_{nullptr, nullptr, nullptr};
  std::array<torch::nn::Linear, kFusionSets> k_{nullptr, nullptr, nullptr};
  std::array<torch::nn::Linear, kFusionSets> v_{nullptr, nullptr, nullptr};
  torch::nn::Linear gate_{nullptr}, out_{nullptr};
};
TORCH_MODULE(ModalityFusion);

}  // namespace moon
