#include "training/losses/TokenLogProbs.h"

#include <algorithm>

namespace moon {

torch::Tensor tokenLogProbs(const torch::Tensor& logits, const torch::Tensor& tokens) {
  TORCH_CHECK(logits.dim() == 3 && tokens.sizes() == logits.sizes().slice(0, 2),
              "logits [B,L,V] and tokens [B,L] expected, got ", logits.sizes(), " and ", tokens.sizes());
  const int64_t vocab = logits.size(2);
  const auto ids = tokens.to(torch::kLong);
  const auto valid = ids.ge(0).logical_and(ids.lt(vocab));
  // bf16 log-softmax loses the small differences the policy ratio is made of.
  const auto logp = torch::log_softmax(logits.to(torch::promote_types(logits.scalar_type(), torch::kFloat32)), -1);
  return logp.gather(2, ids.masked_fill(valid.logical_not(), 0).unsqueeze(2))
      .squeeze(2)
      .masked_fill(valid.logical_not(), 0.0);
}

torch::Tensor tokenEntropy(const torch::Tensor& logits, int64_t vocabLimit) {
  TORCH_CHECK(logits.dim() == 3, "logits [B,L,V] expected, got ", logits.sizes());
  torch::NoGradGuard noGrad;
  const int64_t vocab = vocabLimit > 0 ? std::min(vocabLimit, logits.size(2)) : logits.size(2);
  const auto logp = torch::log_softmax(
      logits.narrow(2, 0, vocab).to(torch::promote_types(logits.scalar_type(), torch::kFloat32)), -1);
  return -(logp.exp() * logp).sum(-1);
}

double maskedMean(const torch::Tensor& values, const torch::Tensor& mask) {
  torch::NoGradGuard noGrad;
  const auto m = mask.to(values.device()).to(torch::kBool);
  const int64_t n = m.sum().item<int64_t>();
  return n == 0 ? 0.0 : values.masked_select(m).sum().item<double>() / static_cast<double>(n);
}

}  // namespace moon
