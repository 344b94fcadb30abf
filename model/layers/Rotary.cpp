#include "model/layers/Rotary.h"

namespace moon {

RotaryAngles rotaryAngles(const torch::Tensor& positions, int64_t headDim, double theta, const torch::Tensor& like) {
  // Angles are formed in float64 so they do not depend on the compute dtype.
  const auto opts = torch::TensorOptions().dtype(torch::kDouble).device(positions.device());
  const auto invFreq = torch::pow(theta, -torch::arange(0, headDim, 2, opts) / static_cast<double>(headDim));
  const auto angles = positions.to(torch::kDouble).unsqueeze(-1) * invFreq;  // [B,L,D/2]
  const auto full = torch::cat({angles, angles}, -1).unsqueeze(1);           // [B,1,L,D]
  return {full.cos().to(like.scalar_type()), full.sin().to(like.scalar_type())};
}

torch::Tensor applyRotary(const torch::Tensor& x, const RotaryAngles& angles) {
  const int64_t half = x.size(-1) / 2;
  const auto x1 = x.narrow(-1, 0, half);
  const auto x2 = x.narrow(-1, half, half);
  const auto rotated = torch::cat({-x2, x1}, -1);
  return x * angles.cos + rotated * angles.sin;
}

}  // namespace moon
