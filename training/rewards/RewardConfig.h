#pragma once

// Weights and knobs of the GRPO reward (DESIGN.md §2, "Default recipe"):
//   r = 0.5·format + 0.2·[trace tokens ≤ 32] + 1.0·(1 − log rank / log N) + 0·attribute
// The attribute term is off by default: LREM's recipe does not use it, and
// it needs labelled attributes the query may not have.

#include "core/config/Config.h"

namespace moon {

struct RewardConfig {
  double weight_format = 0.5;
  double weight_length = 0.2;
  double weight_retrieval = 1.0;
  double weight_attribute = 0.0;
  int length_cap = 32;  // LREM: 32 trace tokens beat 16; 48+ was worse
  // Share of the format reward kept by a trace that parses but never emits
  // </think> (the model must learn to stop) [design choice].
  double unclosed_credit = 0.5;

  template <class V>
  void visit(V& v) {
    v.field("weight_format", weight_format, "weight of the format reward", Range{0.0, 100.0});
    v.field("weight_length", weight_length, "weight of the [trace tokens <= length_cap] term", Range{0.0, 100.0});
    v.field("weight_retrieval", weight_retrieval, "weight of 1 - log(rank)/log(N)", Range{0.0, 100.0});
    v.field("weight_attribute", weight_attribute, "weight of the labelled-attribute agreement", Range{0.0, 100.0});
    v.field("length_cap", length_cap, "trace length (tokens) that still earns the length term", Range{1, 4096});
    v.field("unclosed_credit", unclosed_credit, "share of the format reward kept without </think>", Range{0.0, 1.0});
  }
};

}  // namespace moon
