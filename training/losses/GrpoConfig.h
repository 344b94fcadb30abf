#pragma once

// Stage 2 (RL) options: sampling, the clipped policy objective, the KL to the
// frozen reference and the reward (DESIGN.md §2, "Default recipe").

#include "core/config/Config.h"
#include "training/rewards/RewardConfig.h"

namespace moon {

struct GrpoConfig {
  int group_size = 8;  // traces per query (4 when CPU-bound)
  double temperature = 1.0;
  double top_p = 1.0;
  // Sampling may run past rewards.length_cap so that the length term has
  // something to penalise [design choice].
  int max_new_tokens = 48;
  double clip_low = 0.2;    // ratio floor 1 − clip_low
  double clip_high = 0.28;  // ratio ceiling 1 + clip_high (DAPO's asymmetric clip)
  double kl_beta = 0.04;    // k3 estimator against the frozen stage-1 model
  double weight_policy = 1.0;
  double weight_contrastive = 0.1;  // InfoNCE on <emb> after the sampled traces
  RewardConfig rewards;

  template <class V>
  void visit(V& v) {
    v.field("group_size", group_size, "sampled traces per query", Range{2, 1024});
    v.field("temperature", temperature, "sampling temperature", Range{1e-3, 10.0});
    v.field("top_p", top_p, "nucleus sampling mass", Range{1e-3, 1.0});
    v.field("max_new_tokens", max_new_tokens, "longest sampled trace (tokens)", Range{1, 4096});
    v.field("clip_low", clip_low, "lower clip: ratio >= 1 - clip_low", Range{0.0, 1.0});
    v.field("clip_high", clip_high, "upper clip: ratio <= 1 + clip_high", Range{0.0, 10.0});
    v.field("kl_beta", kl_beta, "weight of the KL to the reference policy", Range{0.0, 100.0});
    v.field("weight_policy", weight_policy, "weight of the clipped policy loss", Range{0.0, 100.0});
    v.field("weight_contrastive", weight_contrastive, "weight of InfoNCE during RL", Range{0.0, 100.0});
    v.section("rewards", rewards);
  }
};

}  // namespace moon
