#include "training/eval/BruteForceSearch.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/base/Error.h"

namespace moon {

SearchResult searchTopKBruteForce(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery, std::size_t k) {
  if (!queries.empty() && !gallery.empty() && queries.dim != gallery.dim)
    throw FormatError("search: queries have dimension " + std::to_string(queries.dim) + ", gallery has " +
                      std::to_string(gallery.dim));
  requireFinite(queries, "search queries");
  requireFinite(gallery, "search gallery");

  SearchResult out;
  out.queries = queries.rows;
  out.k = std::min(k, gallery.rows);
  out.indices.resize(out.queries * out.k);
  out.scores.resize(out.queries * out.k);
  if (out.k == 0) return out;

  std::vector<std::pair<float, std::int64_t>> row(gallery.rows);
  auto before = [](const auto& a, const auto& b) { return ranksBefore(a.first, a.second, b.first, b.second); };
  for (std::size_t q = 0; q < queries.rows; ++q) {
    for (std::size_t g = 0; g < gallery.rows; ++g)
      row[g] = {dotProduct(queries.row(q), gallery.row(g), gallery.dim), static_cast<std::int64_t>(g)};
    std::partial_sort(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(out.k), row.end(), before);
    for (std::size_t j = 0; j < out.k; ++j) {
      out.scores[q * out.k + j] = row[j].first;
      out.indices[q * out.k + j] = row[j].second;
    }
  }
  return out;
}

}  // namespace moon
