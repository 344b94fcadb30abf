#pragma once

// Stage 2 (RL) options: sampling, the clipped policy objective, the KL to the
// frozen reference and the reward (DESIGN.md §2, "Default recipe").

#include "core/config/Config.h"
#include "training/rewards/RewardOptions.h"

namespace moon {

struct GrpoOptions {
  int groupSize = 8;  // traces per query (4 when CPU-bound)
  double temperature = 1.0;
  double topP = 1.0;
  // Sampling may run past rewards.lengthCap so that the length term has
  // something to penalise [design choice].
  int maxNewTokens = 48;
  double clipLow = 0.2;    // ratio floor 1 − clip_low
  double clipHigh = 0.28;  // ratio ceiling 1 + clip_high (DAPO's asymmetric clip)
  double klBeta = 0.04;    // k3 estimator against the frozen stage-1 model
  double weightPolicy = 1.0;
  double weightContrastive = 0.1;  // InfoNCE on <emb> after the sampled traces
  RewardOptions rewards;

  template <class V>
  void visit(V& v) {
    v.field("group_size", groupSize, "sampled traces per query", Range{2, 1024});
    v.field("temperature", temperature, "sampling temperature", Range{1e-3, 10.0});
    v.field("top_p", topP, "nucleus sampling mass", Range{1e-3, 1.0});
    v.field("max_new_tokens", maxNewTokens, "longest sampled trace (tokens)", Range{1, 4096});
    v.field("clip_low", clipLow, "lower clip: ratio >= 1 - clip_low", Range{0.0, 1.0});
    v.field("clip_high", clipHigh, "upper clip: ratio <= 1 + clip_high", Range{0.0, 10.0});
    v.field("kl_beta", klBeta, "weight of the KL to the reference policy", Range{0.0, 100.0});
    v.field("weight_policy", weightPolicy, "weight of the clipped policy loss", Range{0.0, 100.0});
    v.field("weight_contrastive", weightContrastive, "weight of InfoNCE during RL", Range{0.0, 100.0});
    v.section("rewards", rewards);
  }
};

}  // namespace moon
