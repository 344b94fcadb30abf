#include "training/rewards/RolloutStats.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace moon {
namespace {

template <class Field>
double populationStd(const std::vector<RewardBreakdown>& rewards, Field field) {
  double mean = 0.0;
  for (const auto& r : rewards) mean += field(r);
  mean /= double(rewards.size());
  double var = 0.0;
  for (const auto& r : rewards) var += (field(r) - mean) * (field(r) - mean);
  return std::sqrt(var / double(rewards.size()));
}

}  // namespace

RolloutStats rolloutStats(const std::vector<int>& lengths, const std::vector<bool>& closed,
                          const std::vector<RewardBreakdown>& rewards, const GroupAdvantages& groups) {
  if (lengths.empty()) throw std::invalid_argument("rolloutStats: no sample");
  if (closed.size() != lengths.size() || rewards.size() != lengths.size())
    throw std::invalid_argument("rolloutStats: " + std::to_string(lengths.size()) + " lengths, " +
                                std::to_string(closed.size()) + " closed flags and " + std::to_string(rewards.size()) +
                                " rewards");
  RolloutStats s;
  double sum = 0.0;
  for (int len : lengths) sum += len;
  s.lengthMean = sum / double(lengths.size());
  s.lengthMin = *std::min_element(lengths.begin(), lengths.end());
  s.lengthMax = *std::max_element(lengths.begin(), lengths.end());
  s.cutShare = double(std::count(closed.begin(), closed.end(), false)) / double(closed.size());
  s.zeroSpreadShare = groups.groups() > 0 ? double(groups.droppedGroups.size()) / double(groups.groups()) : 0.0;
  s.termStd.format = populationStd(rewards, [](const RewardBreakdown& r) { return r.format; });
  s.termStd.length = populationStd(rewards, [](const RewardBreakdown& r) { return r.length; });
  s.termStd.retrieval = populationStd(rewards, [](const RewardBreakdown& r) { return r.retrieval; });
  s.termStd.attribute = populationStd(rewards, [](const RewardBreakdown& r) { return r.attribute; });
  s.termStd.total = populationStd(rewards, [](const RewardBreakdown& r) { return r.total; });
  return s;
}

}  // namespace moon
