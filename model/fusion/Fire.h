#pragma once

// FIRE, fine-grained residual enhancement [design choice, DESIGN.md §1]: at
// every k-th decoder layer l the image-token positions receive
//   h += tanh(alpha_l) * MLP_l(LN(v_l)),
// v_l = the 2x2-merged patch tokens of the ViT block matching l's depth.
// alpha_l starts at 0, so a fresh FIRE model computes the plain model.

#include <vector>

#include <torch/torch.h>

#include "model/config/ModelConfig.h"

namespace moon {

class FireInjectorImpl : public torch::nn::Module {
 public:
  FireInjectorImpl(int64_t mergedDim, int64_t lmDim);
  torch::Tensor forward(const torch::Tensor& merged);  // [N,P,4C] -> [N,P,D], already scaled by tanh(alpha)
  torch::Tensor alpha;

 private:
  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(FireInjector);

class FireImpl : public torch::nn::Module {
 public:
  explicit FireImpl(const ModelConfig& cfg);
  // visionDepths: every ViT block's patch tokens [N,G*G,C]. Returns one entry
  // per decoder layer: [N,P,D] for FIRE layers, undefined elsewhere.
  std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& visionDepths);

  std::vector<torch::Tensor> alphas();  // one scalar per FIRE layer, in layer order
  const std::vector<int>& layers() const { return layers_; }

 private:
  ModelConfig cfg_;
  std::vector<int> layers_;
  std::vector<FireInjector> injectors_;
};
TORCH_MODULE(Fire);

}  // namespace moon
