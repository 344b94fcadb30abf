#include "model/layers/RMSNorm.h"

namespace moon {

RMSNormImpl::RMSNormImpl(int64_t dim, double eps) : eps_(eps) {
  weight = register_parameter("weight", torch::ones({dim}));
}

torch::Tensor RMSNormImpl::forward(const torch::Tensor& x) {
  const bool narrow = x.scalar_type() == torch::kHalf || x.scalar_type() == torch::kBFloat16;
  const auto xf = narrow ? x.to(torch::kFloat) : x;
  const auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, /*keepdim=*/true) + eps_);
  return weight * normed.to(x.scalar_type());
}

}  // namespace moon
