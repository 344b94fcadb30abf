#include "model/vision/PatchMerger.h"

#include "model/vision/VisionEncoder.h"

namespace moon {

PatchMergerImpl::PatchMergerImpl(const VisionConfig& vision, int64_t lmDim)
    : grid_(vision.image_size / vision.patch_size) {
  const int64_t merged = 4 * vision.dim;
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({vision.dim}).eps(1e-6)));
  fc1_ = register_module("fc1", torch::nn::Linear(merged, merged));
  fc2_ = register_module("fc2", torch::nn::Linear(merged, lmDim));
  if (vision.feature_norm == "batch") featureNorm_ = register_module("feature_norm", torch::nn::BatchNorm1d(lmDim));
}

torch::Tensor PatchMergerImpl::forward(const torch::Tensor& patches) {
  auto tokens = fc2_(torch::gelu(fc1_(mergePatches2x2(norm_(patches), grid_))));
  if (!featureNorm_) return tokens;
  const auto shape = tokens.sizes().vec();
  return featureNorm_(tokens.reshape({-1, shape.back()})).view(shape);
}

}  // namespace moon
