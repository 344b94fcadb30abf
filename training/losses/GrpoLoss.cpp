#include "training/losses/GrpoLoss.h"

namespace moon {

GrpoResult grpoLoss(const torch::Tensor& logProbs, const torch::Tensor& oldLogProbs, const torch::Tensor& refLogProbs,
                    const torch::Tensor& mask, const torch::Tensor& advantages, const GrpoConfig& options) {
  TORCH_CHECK(logProbs.dim() == 2, "logProbs must be [B,L], got ", logProbs.sizes());
  TORCH_CHECK(mask.sizes() == logProbs.sizes(), "mask must be ", logProbs.sizes(), ", got ", mask.sizes());
  TORCH_CHECK(!oldLogProbs.defined() || oldLogProbs.sizes() == logProbs.sizes(), "oldLogProbs must be ",
              logProbs.sizes(), ", got ", oldLogProbs.sizes());
  TORCH_CHECK(!refLogProbs.defined() || refLogProbs.sizes() == logProbs.sizes(), "refLogProbs must be ",
              logProbs.sizes(), ", got ", refLogProbs.sizes());
  TORCH_CHECK(advantages.dim() == 1 && advantages.size(0) == logProbs.size(0), "advantages must be [B], got ",
              advantages.sizes());

  const auto weight = mask.to(torch::kBool).to(logProbs.dtype());
  const auto tokens = weight.sum();
  const auto denom = tokens.clamp_min(1.0);
  auto masked = [&](const torch::Tensor& perToken) { return (perToken * weight).sum() / denom; };

  const auto old = oldLogProbs.defined() ? oldLogProbs.detach() : logProbs.detach();
  const auto ratio = torch::exp((logProbs - old).clamp(-20.0, 20.0));
  const auto adv = advantages.detach().to(logProbs.dtype()).unsqueeze(1);
  const auto unclipped = ratio * adv;
  const auto clipped = ratio.clamp(1.0 - options.clip_low, 1.0 + options.clip_high) * adv;
  const auto policy = -torch::minimum(unclipped, clipped);

  auto perToken = policy;
  torch::Tensor kl;
  if (refLogProbs.defined()) {
    const auto d = (refLogProbs.detach() - logProbs).clamp(-20.0, 20.0);
    kl = (torch::exp(d) - d - 1.0).clamp_max(10.0);
    if (options.kl_beta != 0.0) perToken = perToken + options.kl_beta * kl;
  }

  GrpoResult result;
  result.loss = masked(perToken);

  torch::NoGradGuard noGrad;
  result.tokens = tokens.item<int64_t>();
  result.policyLoss = masked(policy.detach()).item<double>();
  result.klMean = kl.defined() ? masked(kl.detach()).item<double>() : 0.0;
  result.clipFraction = masked(clipped.detach().lt(unclipped.detach()).to(weight.dtype())).item<double>();
  result.ratioMean = masked(ratio.detach()).item<double>();
  return result;
}

}  // namespace moon
