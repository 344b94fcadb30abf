#include "model/vision/VisionEncoder.h"

namespace moon {

VisionEncoderImpl::VisionEncoderImpl(const VisionConfig& cfg) : cfg_(cfg) {
  patch_ = register_module(
      "patch", torch::nn::Conv2d(torch::nn::Conv2dOptions(3, cfg.dim, cfg.patch_size).stride(cfg.patch_size)));
  const int64_t grid = cfg.image_size / cfg.patch_size;
  positions_ = register_parameter("positions", torch::randn({1, grid * grid, cfg.dim}) * 0.02);
  auto blocks = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < cfg.depth; ++i) {
    blocks_.push_back(VisionBlock(cfg));
    blocks->push_back(blocks_.back());
  }
}

std::vector<torch::Tensor> VisionEncoderImpl::forward(const torch::Tensor& images) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 3 && images.size(2) == cfg_.image_size &&
                  images.size(3) == cfg_.image_size,
              "vision encoder expects [N,3,", cfg_.image_size, ",", cfg_.image_size, "] images, got ", images.sizes());
  auto x = patch_(images).flatten(2).transpose(1, 2) + positions_;  // [N,G*G,C]
  std::vector<torch::Tensor> depths;
  for (auto& block : blocks_) {
    x = block->forward(x);
    depths.push_back(x);
  }
  return depths;
}

torch::Tensor mergePatches2x2(const torch::Tensor& patches, int64_t grid) {
  const int64_t N = patches.size(0), C = patches.size(2), half = grid / 2;
  return patches.reshape({N, half, 2, half, 2, C}).permute({0, 1, 3, 2, 4, 5}).reshape({N, half * half, 4 * C});
}

}  // namespace moon
