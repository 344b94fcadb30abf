#include "training/eval/NearDuplicate.h"

#include <limits>

#include <string>

#include "core/base/Error.h"

namespace moon {

NearDuplicateReport nearDuplicateDiscrimination(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery,
                                                const std::vector<std::int64_t>& positives,
                                                const std::vector<std::int64_t>& negatives) {
  if (positives.size() != queries.rows || negatives.size() != queries.rows)
    throw FormatError("near-duplicate: " + std::to_string(queries.rows) + " queries, " +
                      std::to_string(positives.size()) + " positives, " + std::to_string(negatives.size()) +
                      " negatives");
  if (!queries.empty() && !gallery.empty() && queries.dim != gallery.dim)
    throw FormatError("near-duplicate: queries have dimension " + std::to_string(queries.dim) + ", gallery has " +
                      std::to_string(gallery.dim));
  requireFinite(queries, "near-duplicate queries");
  requireFinite(gallery, "near-duplicate gallery");

  auto checkRow = [&gallery](std::int64_t row, std::size_t t, const char* role) {
    if (row >= 0 && static_cast<std::size_t>(row) >= gallery.rows)
      throw FormatError("near-duplicate: triplet " + std::to_string(t) + " names " + role + " row " +
                        std::to_string(row) + " of " + std::to_string(gallery.rows));
  };

  NearDuplicateReport report;
  report.margins.assign(queries.rows, std::numeric_limits<double>::quiet_NaN());
  double marginSum = 0.0;
  for (std::size_t t = 0; t < queries.rows; ++t) {
    checkRow(positives[t], t, "positive");
    checkRow(negatives[t], t, "negative");
    if (positives[t] < 0 || negatives[t] < 0) {
      ++report.skipped;
      continue;
    }
    const double simPositive =
        cosineSimilarity(queries.row(t), gallery.row(static_cast<std::size_t>(positives[t])), gallery.dim);
    const double simNegative =
        cosineSimilarity(queries.row(t), gallery.row(static_cast<std::size_t>(negatives[t])), gallery.dim);
    ++report.triplets;
    if (simPositive > simNegative) ++report.wins;
    report.margins[t] = simPositive - simNegative;
    marginSum += report.margins[t];
  }
  if (report.triplets > 0) {
    report.accuracy = static_cast<double>(report.wins) / static_cast<double>(report.triplets);
    report.meanMargin = marginSum / static_cast<double>(report.triplets);
  }
  return report;
}

}  // namespace moon
