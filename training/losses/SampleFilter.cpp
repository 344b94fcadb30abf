#include "training/losses/SampleFilter.h"

namespace moon {

torch::Tensor dynamicFilterWeights(const torch::Tensor& margins, double kappa) {
  TORCH_CHECK(margins.dim() == 1, "margins must be [B], got ", margins.sizes());
  torch::NoGradGuard noGrad;
  const auto delta = margins.detach();
  if (delta.numel() == 0) return torch::ones_like(delta);
  const auto w = torch::sigmoid(kappa * (delta - delta.mean()));
  // sigmoid > 0, so the mean is positive unless everything underflowed.
  return w / w.mean().clamp_min(1e-12);
}

torch::Tensor dynamicFilterWeights(const torch::Tensor& queries, const torch::Tensor& positives,
                                   const torch::Tensor& negatives, double kappa) {
  namespace F = torch::nn::functional;
  torch::NoGradGuard noGrad;
  const auto opt = F::NormalizeFuncOptions().dim(-1);
  const auto q = F::normalize(queries.detach(), opt);
  const auto margins =
      (q * F::normalize(positives.detach(), opt)).sum(1) - (q * F::normalize(negatives.detach(), opt)).sum(1);
  return dynamicFilterWeights(margins, kappa);
}

}  // namespace moon
