#include "training/losses/TokenLogProbs.h"

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

}  // namespace moon
