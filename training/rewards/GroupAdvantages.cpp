#include "training/rewards/GroupAdvantages.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace moon {

GroupAdvantages groupAdvantages(const std::vector<double>& rewards, int groupSize, double minSpread) {
  if (groupSize < 1 || rewards.size() % static_cast<size_t>(groupSize) != 0)
    throw std::invalid_argument("groupAdvantages: " + std::to_string(rewards.size()) +
                                " rewards do not split into groups of " + std::to_string(groupSize));
  const size_t g = static_cast<size_t>(groupSize);
  const size_t groups = rewards.size() / g;
  GroupAdvantages out;
  out.advantages.assign(rewards.size(), 0.0);
  out.keep.assign(rewards.size(), false);
  for (size_t group = 0; group < groups; ++group) {
    const size_t begin = group * g;
    double mean = 0.0;
    for (size_t i = begin; i < begin + g; ++i) mean += rewards[i];
    mean /= static_cast<double>(g);
    double var = 0.0;
    for (size_t i = begin; i < begin + g; ++i) var += (rewards[i] - mean) * (rewards[i] - mean);
    const double sd = std::sqrt(var / static_cast<double>(g));
    out.groupMeans.push_back(mean);
    out.groupStds.push_back(sd);
    if (!std::isfinite(sd) || sd <= minSpread) {
      out.droppedGroups.push_back(static_cast<int>(group));
      continue;
    }
    for (size_t i = begin; i < begin + g; ++i) {
      out.advantages[i] = (rewards[i] - mean) / (sd + 1e-6);
      out.keep[i] = true;
    }
  }
  return out;
}

}  // namespace moon
