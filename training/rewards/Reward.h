#pragma once

// The total GRPO reward of one sampled trace: the weighted sum of the terms
// in RewardTerms.h, with each term kept for logs and events.

#include <string>
#include <vector>

#include "core/data/Product.h"
#include "training/rewards/RewardConfig.h"

namespace moon {

struct RewardInputs {
  std::string trace;      // decoded sample, through </think> if the model emitted it
  int traceTokens = 0;    // sampled trace length in tokens
  int rank = 1;           // 1-based rank of the positive among numCandidates (RetrievalRank.h)
  int numCandidates = 2;  // N ≥ 2
  Attributes labels;      // the query's labelled attributes; empty → attribute term 0
};

struct RewardBreakdown {
  double format = 0.0;
  double length = 0.0;
  double retrieval = 0.0;
  double attribute = 0.0;
  double total = 0.0;  // Σ weight · term
};

RewardBreakdown computeReward(const RewardInputs& inputs, const RewardConfig& options = {});

// Means of each term over a batch of samples, and the spread of the total.
struct RewardSummary {
  RewardBreakdown mean;
  double totalStd = 0.0;  // population standard deviation
  int count = 0;
};

RewardSummary summarizeRewards(const std::vector<RewardBreakdown>& rewards);

}  // namespace moon
