#include "training/eval/RetrievalMetrics.h"

#include <string>
#include <utility>

#include "core/base/Error.h"

namespace moon {

namespace {

void checkPositives(const EmbeddingMatrix& queries, std::size_t galleryRows,
                    const std::vector<std::int64_t>& positives) {
  if (positives.size() != queries.rows)
    throw FormatError("retrieval: " + std::to_string(positives.size()) + " positives for " +
                      std::to_string(queries.rows) + " queries");
  for (std::size_t q = 0; q < positives.size(); ++q)
    if (positives[q] >= 0 && static_cast<std::size_t>(positives[q]) >= galleryRows)
      throw FormatError("retrieval: query " + std::to_string(q) + " names gallery row " + std::to_string(positives[q]) +
                        " of " + std::to_string(galleryRows));
}

// 1 + rows scoring strictly higher than `positiveScore`, over the whole gallery.
template <class RowFn>
std::size_t countRank(const float* query, std::size_t dim, std::size_t rows, RowFn rowAt, float positiveScore) {
  std::size_t higher = 0;
  for (std::size_t g = 0; g < rows; ++g)
    if (dotProduct(query, rowAt(g), dim) > positiveScore) ++higher;
  return higher + 1;
}

}  // namespace

double recallAtK(const std::vector<std::size_t>& ranks, std::size_t k) {
  if (ranks.empty()) return 0.0;
  std::size_t hits = 0;
  for (std::size_t r : ranks)
    if (r >= 1 && r <= k) ++hits;
  return static_cast<double>(hits) / static_cast<double>(ranks.size());
}

double meanReciprocalRank(const std::vector<std::size_t>& ranks) {
  if (ranks.empty()) return 0.0;
  double sum = 0.0;
  for (std::size_t r : ranks)
    if (r >= 1) sum += 1.0 / static_cast<double>(r);
  return sum / static_cast<double>(ranks.size());
}

RetrievalReport retrievalReportFromRanks(std::string name, const std::vector<std::size_t>& ranks,
                                         std::size_t galleryItems) {
  RetrievalReport report;
  report.name = std::move(name);
  report.queries = ranks.size();
  report.galleryItems = galleryItems;
  for (std::size_t r : ranks)
    if (r == 0) ++report.missing;
  report.recallAt1 = recallAtK(ranks, 1);
  report.recallAt5 = recallAtK(ranks, 5);
  report.recallAt10 = recallAtK(ranks, 10);
  report.mrr = meanReciprocalRank(ranks);
  return report;
}

std::vector<std::size_t> positiveRanks(const EmbeddingMatrix& queries, const GalleryIndex& gallery,
                                       const std::vector<std::int64_t>& positives, std::size_t depth) {
  checkPositives(queries, gallery.size(), positives);
  std::vector<std::size_t> ranks(queries.rows, 0);
  if (queries.rows == 0 || gallery.size() == 0) return ranks;
  SearchResult top = gallery.search(queries, depth);
  auto rowAt = [&gallery](std::size_t g) { return gallery.row(g); };
  for (std::size_t q = 0; q < queries.rows; ++q) {
    if (positives[q] < 0) continue;
    const float positiveScore =
        dotProduct(queries.row(q), gallery.row(static_cast<std::size_t>(positives[q])), gallery.dim());
    // The row is the exact top-k in (score, index) order, so every row scoring
    // above the positive precedes it; rows after it cannot score higher.
    bool found = false;
    std::size_t higher = 0;
    for (std::size_t j = 0; j < top.k; ++j) {
      if (top.index(q, j) == positives[q]) {
        found = true;
        break;
      }
      if (top.score(q, j) > positiveScore) ++higher;
    }
    ranks[q] = found ? higher + 1 : countRank(queries.row(q), gallery.dim(), gallery.size(), rowAt, positiveScore);
  }
  return ranks;
}

std::vector<std::size_t> positiveRanksBruteForce(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery,
                                                 const std::vector<std::int64_t>& positives) {
  checkPositives(queries, gallery.rows, positives);
  if (!queries.empty() && !gallery.empty() && queries.dim != gallery.dim)
    throw FormatError("retrieval: queries have dimension " + std::to_string(queries.dim) + ", gallery has " +
                      std::to_string(gallery.dim));
  requireFinite(queries, "retrieval queries");
  requireFinite(gallery, "retrieval gallery");
  std::vector<std::size_t> ranks(queries.rows, 0);
  auto rowAt = [&gallery](std::size_t g) { return gallery.row(g); };
  for (std::size_t q = 0; q < queries.rows; ++q) {
    if (positives[q] < 0) continue;
    const float positiveScore =
        dotProduct(queries.row(q), gallery.row(static_cast<std::size_t>(positives[q])), gallery.dim);
    ranks[q] = countRank(queries.row(q), gallery.dim, gallery.rows, rowAt, positiveScore);
  }
  return ranks;
}

RetrievalReport evaluateRetrieval(std::string name, const EmbeddingMatrix& queries, const GalleryIndex& gallery,
                                  const std::vector<std::int64_t>& positives) {
  return retrievalReportFromRanks(std::move(name), positiveRanks(queries, gallery, positives), gallery.size());
}

}  // namespace moon
