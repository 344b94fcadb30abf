#pragma once

// What an RL practitioner reads off a GRPO step besides the reward mean
// (issue #14): how long the sampled traces are and how many hit the length
// cap, how many groups carried no signal (all G rewards equal, so every
// advantage is 0), and the spread of each reward term.

#include <vector>

#include "training/rewards/GroupAdvantages.h"
#include "training/rewards/Reward.h"

namespace moon {

struct RolloutStats {
  double lengthMean = 0.0;  // sampled trace length in tokens
  int lengthMin = 0;
  int lengthMax = 0;
  double cutShare = 0.0;         // share that did not close before the cap
  double zeroSpreadShare = 0.0;  // share of groups dropped for zero reward spread
  RewardBreakdown termStd;       // population std of each term (and of the total)
};

// One entry per sample in `lengths`, `closed` and `rewards`; `groups` from
// groupAdvantages() over the same samples. Throws std::invalid_argument when
// the sizes differ or there is no sample.
RolloutStats rolloutStats(const std::vector<int>& lengths, const std::vector<bool>& closed,
                          const std::vector<RewardBreakdown>& rewards, const GroupAdvantages& groups);

}  // namespace moon
