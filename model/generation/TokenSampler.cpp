#include "model/generation/TokenSampler.h"

#include <ATen/CPUGeneratorImpl.h>

#include <limits>
#include <string>

#include "core/base/Error.h"

namespace moon {

TokenSampler::TokenSampler(const SamplingOptions& options, std::vector<int64_t> banned)
    : options_(options), banned_(std::move(banned)), generator_(at::detail::createCPUGenerator(options.seed)) {
  if (!options.greedy && !(options.temperature > 0.0))
    throw Error("sampling temperature must be > 0, got " + std::to_string(options.temperature));
  if (!(options.topP > 0.0 && options.topP <= 1.0))
    throw Error("top-p must be in (0, 1], got " + std::to_string(options.topP));
  bannedIndex_ = torch::tensor(banned_, torch::kLong);
}

torch::Tensor TokenSampler::choose(const torch::Tensor& logits) {
  auto l = logits.detach();
  if (bannedIndex_.numel() > 0) {
    const auto inRange = bannedIndex_.masked_select(bannedIndex_ < l.size(1)).to(l.device());
    l = l.index_fill(1, inRange, -std::numeric_limits<double>::infinity());
  }
  if (options_.greedy) return l.argmax(1);  // in the model's dtype, like a reference recomputation
  auto probs = torch::softmax(l.to(torch::kCPU, torch::kDouble) / options_.temperature, 1);
  if (options_.topP < 1.0) {
    auto [sorted, order] = probs.sort(1, /*descending=*/true);
    // Keep the smallest prefix whose mass reaches top-p (at least one token).
    const auto before = sorted.cumsum(1) - sorted;
    sorted = sorted.masked_fill(before >= options_.topP, 0.0);
    probs = torch::zeros_like(probs).scatter(1, order, sorted);
  }
  return torch::multinomial(probs, 1, /*replacement=*/false, generator_).squeeze(1).to(logits.device());
}

}  // namespace moon
