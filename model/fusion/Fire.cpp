#include "model/fusion/Fire.h"

#include "model/vision/VisionEncoder.h"

namespace moon {

FireInjectorImpl::FireInjectorImpl(int64_t mergedDim, int64_t lmDim) {
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({mergedDim}).eps(1e-6)));
  fc1_ = register_module("fc1", torch::nn::Linear(mergedDim, lmDim));
  fc2_ = register_module("fc2", torch::nn::Linear(lmDim, lmDim));
  alpha = register_parameter("alpha", torch::zeros({}));
}

torch::Tensor FireInjectorImpl::forward(const torch::Tensor& merged) {
  return torch::tanh(alpha) * fc2_(torch::gelu(fc1_(norm_(merged))));
}

FireImpl::FireImpl(const ModelConfig& cfg) : cfg_(cfg), layers_(cfg.fireLayers()) {
  auto list = register_module("layers", torch::nn::ModuleDict());
  for (int l : layers_) {
    injectors_.push_back(FireInjector(4 * cfg.vision.dim, cfg.language.dim));
    list->update(std::vector<std::pair<std::string, std::shared_ptr<torch::nn::Module>>>{
        {std::to_string(l), injectors_.back().ptr()}});
  }
}

std::vector<torch::Tensor> FireImpl::forward(const std::vector<torch::Tensor>& visionDepths) {
  std::vector<torch::Tensor> out(static_cast<size_t>(cfg_.language.layers));
  for (size_t i = 0; i < layers_.size(); ++i) {
    const int layer = layers_[i];
    const auto& v = visionDepths.at(static_cast<size_t>(cfg_.fireVisionDepth(layer)));
    out[static_cast<size_t>(layer)] = injectors_[i]->forward(mergePatches2x2(v, cfg_.gridSize()));
  }
  return out;
}

std::vector<torch::Tensor> FireImpl::alphas() {
  std::vector<torch::Tensor> out;
  for (auto& inj : injectors_) out.push_back(inj->alpha);
  return out;
}

}  // namespace moon
