#include "training/losses/SftLoss.h"

namespace moon {

SftResult maskedTokenCrossEntropy(const torch::Tensor& logits, const torch::Tensor& targets,
                                  const torch::Tensor& mask) {
  namespace F = torch::nn::functional;
  TORCH_CHECK(logits.dim() == 3, "logits must be [B,L,V], got ", logits.sizes());
  TORCH_CHECK(targets.sizes() == logits.sizes().slice(0, 2) && mask.sizes() == targets.sizes(),
              "targets and mask must be [B,L] matching logits ", logits.sizes(), ", got ", targets.sizes(), " and ",
              mask.sizes());
  const auto real = mask.to(torch::kBool);
  // Padding may hold any id (even -1): point it at class 0, the mask drops it.
  const auto safeTargets = targets.to(torch::kLong).masked_fill(real.logical_not(), 0);
  const int64_t vocab = logits.size(2);
  const auto perToken = F::cross_entropy(logits.reshape({-1, vocab}), safeTargets.reshape({-1}),
                                         F::CrossEntropyFuncOptions().reduction(torch::kNone))
                            .view_as(safeTargets);
  const auto weight = real.to(perToken.dtype());

  SftResult result;
  result.tokens = real.sum().item<int64_t>();
  result.loss = (perToken * weight).sum() / std::max<int64_t>(result.tokens, 1);
  if (result.tokens > 0) {
    torch::NoGradGuard noGrad;
    const auto hits = logits.detach().argmax(2).eq(safeTargets).logical_and(real);
    result.accuracy = hits.sum().item<double>() / static_cast<double>(result.tokens);
  }
  return result;
}

}  // namespace moon
