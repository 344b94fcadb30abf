#include "training/rewards/RetrievalRank.h"

namespace moon {

std::vector<int> positiveRanks(const torch::Tensor& scores, const torch::Tensor& positiveIndex) {
  TORCH_CHECK(scores.dim() == 2 && positiveIndex.dim() == 1 && positiveIndex.size(0) == scores.size(0),
              "scores [Q,N] and positiveIndex [Q] expected, got ", scores.sizes(), " and ", positiveIndex.sizes());
  torch::NoGradGuard noGrad;
  const auto s = scores.detach().to(torch::kCPU, torch::kDouble);
  const auto index = positiveIndex.to(torch::kCPU, torch::kLong);
  TORCH_CHECK(index.numel() == 0 || (index.min().item<int64_t>() >= 0 && index.max().item<int64_t>() < s.size(1)),
              "positiveIndex out of range [0, ", s.size(1), ")");
  const auto positive = s.gather(1, index.unsqueeze(1));  // [Q,1]
  auto ranks = s.ge(positive).sum(1);                     // counts the positive itself
  ranks = torch::where(positive.squeeze(1).isnan(), torch::full_like(ranks, s.size(1)), ranks);
  const auto r = ranks.to(torch::kInt).contiguous();
  return std::vector<int>(r.data_ptr<int>(), r.data_ptr<int>() + r.numel());
}

}  // namespace moon
