#include "training/losses/LogitScale.h"

#include <cmath>
#include <string>

#include "core/base/Error.h"

namespace moon {

LogitScaleImpl::LogitScaleImpl(const TemperatureConfig& options) : options_(options) {
  if (!(options.min > 0.0 && options.min <= options.init && options.init <= options.max))
    throw ConfigError("config key 'temperature': need 0 < min <= init <= max, got min " + std::to_string(options.min) +
                      ", init " + std::to_string(options.init) + ", max " + std::to_string(options.max));
  auto init = torch::full({}, std::log(1.0 / options.init), torch::kFloat32);
  logScale = options.learnable ? register_parameter("log_scale", init) : register_buffer("log_scale", init);
}

torch::Tensor LogitScaleImpl::forward() {
  return logScale.clamp(std::log(1.0 / options_.max), std::log(1.0 / options_.min)).exp();
}

double LogitScaleImpl::temperature() {
  torch::NoGradGuard noGrad;
  return 1.0 / forward().item<double>();
}

}  // namespace moon
