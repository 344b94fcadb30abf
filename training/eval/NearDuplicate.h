#pragma once

// Near-duplicate discrimination: for each triplet (query, positive,
// near-duplicate negative), does the query sit closer to its positive?
//
// Conventions:
//   * Similarity is the cosine of the two embeddings (0 for a zero vector).
//   * A triplet is a win when sim(q,p) > sim(q,n) STRICTLY; a tie is a loss
//     (a model that cannot tell the two apart has not discriminated them).
//   * Margin = sim(q,p) - sim(q,n); meanMargin averages it over the triplets.
//   * A triplet whose positive or negative is missing from the gallery
//     (negative index) cannot be compared: it is left out of every average
//     and counted in `skipped`.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/config/Config.h"
#include "training/eval/EmbeddingMatrix.h"

namespace moon {

struct NearDuplicateReport {
  std::size_t triplets = 0;     // compared
  std::size_t skipped = 0;      // positive or negative missing from the gallery
  std::size_t wins = 0;         // sim(q,p) > sim(q,n)
  double accuracy = 0.0;        // wins / triplets (0 without triplets)
  double meanMargin = 0.0;      // mean of sim(q,p) - sim(q,n)
  std::vector<double> margins;  // per triplet, in input order; NaN where skipped (not stored)
  template <class V>
  void visit(V& v) {  // stored keys (EvaluationResult.h)
    v.field("triplets", triplets);
    v.field("skipped", skipped);
    v.field("wins", wins);
    v.field("accuracy", accuracy);
    v.field("mean_margin", meanMargin);
  }
};

// Row t of `queries` is triplet t's query; positives[t] / negatives[t] are
// gallery rows. Throws FormatError on mismatched sizes, dimensions or an
// index past the gallery.
NearDuplicateReport nearDuplicateDiscrimination(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery,
                                                const std::vector<std::int64_t>& positives,
                                                const std::vector<std::int64_t>& negatives);

}  // namespace moon
