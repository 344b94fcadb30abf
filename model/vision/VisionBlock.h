#pragma once

#include <torch/torch.h>

#include "model/config/ModelConfig.h"

namespace moon {

// Pre-norm ViT block: x += attn(LN(x)); x += MLP(LN(x)) with GELU.
class VisionBlockImpl : public torch::nn::Module {
 public:
  explicit VisionBlockImpl(const VisionConfig& cfg);
  torch::Tensor forward(const torch::Tensor& x);  // [N,T,C] -> [N,T,C]

 private:
  int64_t heads_;
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Linear qkv_{nullptr}, proj_{nullptr}, fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(VisionBlock);

}  // namespace moon
