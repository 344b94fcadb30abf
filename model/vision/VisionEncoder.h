#pragma once

#include <vector>

#include <torch/torch.h>

#include "model/config/ModelConfig.h"
#include "model/vision/VisionBlock.h"

namespace moon {

// ViT: a patch-embedding convolution, learned positions and pre-norm blocks.
// Returns every block's patch tokens so FIRE can read several depths.
class VisionEncoderImpl : public torch::nn::Module {
 public:
  explicit VisionEncoderImpl(const VisionConfig& cfg);
  // images [N,3,S,S] -> one [N,G*G,C] tensor per block (row-major patch grid).
  std::vector<torch::Tensor> forward(const torch::Tensor& images);

 private:
  VisionConfig cfg_;
  torch::nn::Conv2d patch_{nullptr};
  torch::Tensor positions_;
  std::vector<VisionBlock> blocks_;
};
TORCH_MODULE(VisionEncoder);

// [N,G*G,C] on a row-major G x G grid -> [N,(G/2)^2,4C]: each 2x2 window's
// four tokens concatenated (top-left, top-right, bottom-left, bottom-right),
// windows in row-major order of the merged grid.
torch::Tensor mergePatches2x2(const torch::Tensor& patches, int64_t grid);

}  // namespace moon
