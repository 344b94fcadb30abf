#pragma once

#include <torch/torch.h>

#include "model/config/ModelConfig.h"

namespace moon {

// Qwen2-VL merger: LayerNorm per patch, 2x2 windows concatenated, then an
// MLP into the language model width. Output = the image tokens of the prompt.
class PatchMergerImpl : public torch::nn::Module {
 public:
  PatchMergerImpl(const VisionConfig& vision, int64_t lmDim);
  torch::Tensor forward(const torch::Tensor& patches);  // [N,G*G,C] -> [N,(G/2)^2,D]

 private:
  int64_t grid_;
  torch::nn::LayerNorm norm_{nullptr};
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
  torch::nn::BatchNorm1d featureNorm_{nullptr};  // vision.feature_norm == "batch"
};
TORCH_MODULE(PatchMerger);

}  // namespace moon
