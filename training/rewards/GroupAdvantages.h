#pragma once

// GRPO advantages: rewards of the G samples of one query are normalised
// within their group, A = (r − mean)/(std + 1e-6), std over the group
// (population, so a kept group's advantages have mean 0 and variance ≈ 1).
// A group whose rewards are all equal carries no signal; it is dropped
// (advantage 0, keep false) and reported, as are groups holding a
// non-finite reward.

#include <vector>

namespace moon {

struct GroupAdvantages {
  std::vector<double> advantages;  // per sample, in input order; 0 in dropped groups
  std::vector<bool> keep;          // per sample: false in dropped groups
  std::vector<int> droppedGroups;  // 0-based group indices, ascending
  std::vector<double> groupMeans;  // per group
  std::vector<double> groupStds;   // per group
  int groups() const { return static_cast<int>(groupMeans.size()); }
  int keptGroups() const { return groups() - static_cast<int>(droppedGroups.size()); }
};

// `rewards` holds groups back to back: samples [g·G, (g+1)·G) belong to group g.
// A group counts as zero-spread when its std ≤ minSpread. Throws
// std::invalid_argument unless groupSize ≥ 1 divides rewards.size().
GroupAdvantages groupAdvantages(const std::vector<double>& rewards, int groupSize, double minSpread = 1e-9);

}  // namespace moon
