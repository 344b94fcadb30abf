#pragma once

// What the trainer saw at one validation step besides its scalar metrics
// (issue #14), stored as one JSON document per step in the run store
// (RunStore::putValidationSamples) and shown by the Runs view:
//   - trace groups: a few fixed val queries, each with G traces sampled the
//     way GRPO samples them, every sample's reward terms, the rank of the
//     query's positive after that trace, and its group-normalised advantage
//     (what GRPO would learn from this group);
//   - cosine histograms of the mm->mm queries' <emb> to their positive, to
//     their near-duplicate and to every other val gallery product.
// Plain values (no Torch), so the GUI reads them on any thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/Product.h"
#include "training/eval/CosineHistogram.h"
#include "training/rewards/Reward.h"

namespace moon {

struct SampledTrace {
  std::string trace;  // decoded, without </think>
  bool closed = false;
  int tokens = 0;
  int rank = 0;  // 1-based rank of the query's positive in the val gallery after this trace
  RewardBreakdown reward;
  double advantage = 0.0;  // 0 when the group had no reward spread
};

struct TraceGroup {
  std::string query;     // "query:<n>": the n-th of the validation's mm queries
  std::string title;     // "" for an image-only query
  std::string image;     // relative to the dataset folder; "" for a text query
  std::string positive;  // product id
  Attributes labels;     // the query's labelled attributes
  std::vector<SampledTrace> samples;
  bool zeroSpread = false;  // all G rewards equal: GRPO learns nothing from it
};

struct ValidationSamples {
  int64_t step = 0;
  std::string direction = "mm->mm";                // whose cosines
  std::map<std::string, CosineHistogram> cosines;  // "positive", "near_duplicate", "other"
  std::vector<TraceGroup> groups;

  bool empty() const { return cosines.empty() && groups.empty(); }
  nlohmann::json toJson() const;
  // Throws FormatError naming the missing or mistyped key.
  static ValidationSamples fromJson(const nlohmann::json& json);
  // One row per sampled trace: step, query, title, positive, sample, trace,
  // closed, tokens, rank, the reward terms, total and advantage.
  std::string traceGroupsCsv() const;
};

}  // namespace moon
