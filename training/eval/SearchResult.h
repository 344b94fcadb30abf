#pragma once

// The k best gallery rows for each query, best first.
//
// Order convention (shared by every search path): a higher inner product
// ranks first; equal scores rank by lower gallery index. Scores are the exact
// dotProduct() of the two rows, so the FAISS and brute-force paths return the
// same indices and the same scores.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace moon {

struct SearchResult {
  std::size_t queries = 0;
  std::size_t k = 0;                  // columns per query: min(requested k, gallery rows)
  std::vector<std::int64_t> indices;  // queries * k gallery rows
  std::vector<float> scores;          // queries * k inner products, non-increasing per row

  std::int64_t index(std::size_t q, std::size_t j) const { return indices[q * k + j]; }
  float score(std::size_t q, std::size_t j) const { return scores[q * k + j]; }
};

// True when (scoreA, indexA) comes before (scoreB, indexB) in a result row.
inline bool ranksBefore(float scoreA, std::int64_t indexA, float scoreB, std::int64_t indexB) {
  return scoreA > scoreB || (scoreA == scoreB && indexA < indexB);
}

}  // namespace moon
