#pragma once

// Retrieval metrics for one query direction (t->mm, i->mm, mm->mm, t->i, i->t).
//
// Conventions:
//   * Each query has exactly one positive: a row of the gallery, or a
//     negative index when the positive is missing from the gallery.
//   * Rank of the positive = 1 + the number of gallery rows whose score is
//     STRICTLY higher than the positive's. Rows tied with the positive do not
//     push it down (optimistic on ties), so the rank does not depend on the
//     gallery order.
//   * Rank 0 means "missing": such a query counts in every denominator, is a
//     miss for every Recall@k and adds 0 to the MRR; it is also counted in
//     RetrievalReport::missing.
//   * Recall@k = share of queries with 1 <= rank <= k.
//     MRR = mean of 1/rank over all queries (full rank, not truncated at 10).
//   * With no queries every metric is 0 and queries == 0 marks the report as
//     empty.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/config/Config.h"
#include "training/eval/EmbeddingMatrix.h"
#include "training/eval/GalleryIndex.h"

namespace moon {

// Headline directions, in table order (DESIGN.md §1).
inline constexpr std::array<const char*, 5> kRetrievalDirections = {"t->mm", "i->mm", "mm->mm", "t->i", "i->t"};

struct RetrievalReport {
  std::string name;              // e.g. "t->mm"
  std::size_t queries = 0;       // all queries, missing ones included
  std::size_t missing = 0;       // queries whose positive is not in the gallery
  std::size_t galleryItems = 0;  // rows searched
  double recallAt1 = 0.0;
  double recallAt5 = 0.0;
  double recallAt10 = 0.0;
  double mrr = 0.0;
  template <class V>
  void visit(V& v) {  // stored keys (EvaluationResult.h)
    v.field("name", name);
    v.field("queries", queries);
    v.field("missing", missing);
    v.field("gallery", galleryItems);
    v.field("recall@1", recallAt1);
    v.field("recall@5", recallAt5);
    v.field("recall@10", recallAt10);
    v.field("mrr", mrr);
  }
};

double recallAtK(const std::vector<std::size_t>& ranks, std::size_t k);
double meanReciprocalRank(const std::vector<std::size_t>& ranks);
RetrievalReport retrievalReportFromRanks(std::string name, const std::vector<std::size_t>& ranks,
                                         std::size_t galleryItems);

// Ranks of each query's positive (convention above) using the FAISS index:
// a top-`depth` search answers most queries, the rest are counted exactly
// against the whole gallery. Throws FormatError when positives.size() differs
// from queries.rows or a positive index is >= the gallery size.
std::vector<std::size_t> positiveRanks(const EmbeddingMatrix& queries, const GalleryIndex& gallery,
                                       const std::vector<std::int64_t>& positives, std::size_t depth = 10);
// Reference: every score computed; same result as positiveRanks().
std::vector<std::size_t> positiveRanksBruteForce(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery,
                                                 const std::vector<std::int64_t>& positives);

// positiveRanks() + retrievalReportFromRanks().
RetrievalReport evaluateRetrieval(std::string name, const EmbeddingMatrix& queries, const GalleryIndex& gallery,
                                  const std::vector<std::int64_t>& positives);

}  // namespace moon
