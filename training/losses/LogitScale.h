#pragma once

// The learnable InfoNCE temperature, held as s = log(1/τ) like CLIP's
// logit_scale: the optimiser moves log(1/τ) additively, which keeps τ
// positive and makes equal steps mean equal relative changes of τ.

#include <torch/torch.h>

#include "training/losses/ContrastiveConfig.h"

namespace moon {

class LogitScaleImpl : public torch::nn::Module {
 public:
  // Throws ConfigError unless 0 < min <= init <= max.
  explicit LogitScaleImpl(const TemperatureConfig& options = {});

  // 1/τ as a scalar tensor (with gradient when learnable), clamped to
  // [1/max, 1/min]; outside that range the gradient is zero.
  torch::Tensor forward();

  double temperature();  // current τ, after the clamp
  const TemperatureConfig& options() const { return options_; }

  // log(1/τ): a parameter when learnable, else a buffer (saved either way).
  torch::Tensor logScale;

 private:
  TemperatureConfig options_;
};
TORCH_MODULE(LogitScale);

}  // namespace moon
