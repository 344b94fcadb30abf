#pragma once

// The near-duplicate margins of a split's multimodal queries for one
// checkpoint — cos(q, positive) − cos(q, near-duplicate), queries after their
// greedy trace and products without, as the evaluation measures them — and a
// box-plot summary of such a distribution: the checkpoint timeline's "when
// did the model learn to tell these apart" for the whole validation set.
// The header names no LibTorch type.

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "model/checkpoint/CheckpointLoader.h"

namespace moon {

struct QueryMarginOptions {
  std::string split = "val";
  std::size_t maxQueries = 200;  // the split's first mm queries; 0 = all
  std::function<void(double fraction)> progress;
  const std::atomic<bool>* cancel = nullptr;  // raised: throws Cancelled (GalleryEmbedder.h)
};

// One margin per mm query whose query, positive and near-duplicate could all
// be embedded, in triplet order. Throws ConfigError for an unknown split.
std::vector<double> queryMargins(const LoadedCheckpoint& checkpoint, const Dataset& dataset,
                                 const QueryMarginOptions& options);

// Tukey's box: quartiles (linear interpolation), whiskers at the furthest
// values within 1.5 IQR of the box, the values beyond them as outliers.
struct BoxSummary {
  std::size_t count = 0;
  double mean = 0.0;
  double lowerWhisker = 0.0, lowerQuartile = 0.0, median = 0.0, upperQuartile = 0.0, upperWhisker = 0.0;
  std::vector<double> outliers;
  double shareBelowZero = 0.0;  // the near-duplicate wins
};
// An empty input gives count 0 and zeros.
BoxSummary boxSummary(std::vector<double> values);

}  // namespace moon
