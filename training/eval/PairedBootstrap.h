#pragma once

// Confidence intervals on mean Recall@k by the bootstrap over queries
// (issue #14): within each direction the queries are drawn with replacement,
// the same draws for both models of a paired comparison (the same queries),
// and the statistic is the mean over directions of R@k. Percentile intervals.
//
// Queries that share a positive product (several photos or titles of one
// product: `moon data synth --test-queries-per-product`) are not independent
// trials, so they are drawn together: the unit of resampling is the positive
// product within a direction (a cluster bootstrap; R@k of a draw is its hits
// over its queries). With one query per product this is the plain bootstrap.
// A query without a positive id is its own unit.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "training/eval/QueryResult.h"

namespace moon {

struct BootstrapInterval {
  double estimate = 0.0;  // on the queries as they are
  double low = 0.0;       // 2.5th percentile of the resampled statistic
  double high = 0.0;      // 97.5th percentile
  std::size_t resamples = 0;
  bool excludesZero() const { return low > 0.0 || high < 0.0; }
};

// Which rank a statistic reads.
enum class RankKind { Emb, Disc };

// Mean over directions of R@k, with its interval.
BootstrapInterval bootstrapMeanRecall(const std::vector<QueryResult>& queries, std::size_t k = 10,
                                      RankKind kind = RankKind::Emb, std::size_t resamples = 1000,
                                      std::uint64_t seed = 1);

// mean R@k of `a` minus that of `b`, paired by (direction, index). Throws
// FormatError when the two do not hold the same queries.
BootstrapInterval pairedMeanRecallDifference(const std::vector<QueryResult>& a, RankKind kindA,
                                             const std::vector<QueryResult>& b, RankKind kindB, std::size_t k = 10,
                                             std::size_t resamples = 1000, std::uint64_t seed = 1);

}  // namespace moon
