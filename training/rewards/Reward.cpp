#include "training/rewards/Reward.h"

#include <cmath>

#include "core/data/TraceFormat.h"
#include "training/rewards/RewardTerms.h"

namespace moon {

RewardBreakdown computeReward(const RewardInputs& inputs, const RewardConfig& options) {
  const ParsedTrace parsed = parseTrace(inputs.trace);
  RewardBreakdown r;
  r.format = formatReward(parsed, options.unclosed_credit);
  r.length = lengthReward(inputs.traceTokens, options.length_cap);
  r.retrieval = retrievalReward(inputs.rank, inputs.numCandidates);
  r.attribute = attributeReward(parsed.attributes, inputs.labels);
  r.total = options.weight_format * r.format + options.weight_length * r.length +
            options.weight_retrieval * r.retrieval + options.weight_attribute * r.attribute;
  return r;
}

RewardSummary summarizeRewards(const std::vector<RewardBreakdown>& rewards) {
  RewardSummary s;
  s.count = static_cast<int>(rewards.size());
  if (rewards.empty()) return s;
  for (const auto& r : rewards) {
    s.mean.format += r.format;
    s.mean.length += r.length;
    s.mean.retrieval += r.retrieval;
    s.mean.attribute += r.attribute;
    s.mean.total += r.total;
  }
  const double n = static_cast<double>(rewards.size());
  s.mean.format /= n;
  s.mean.length /= n;
  s.mean.retrieval /= n;
  s.mean.attribute /= n;
  s.mean.total /= n;
  double var = 0.0;
  for (const auto& r : rewards) var += (r.total - s.mean.total) * (r.total - s.mean.total);
  s.totalStd = std::sqrt(var / n);
  return s;
}

}  // namespace moon
