#pragma once

// A row-major float matrix: one embedding per row. The evaluation code works
// on these rather than on tensors so that it stays independent of the model
// and can be tested on hand-written numbers.

#include <cstddef>
#include <vector>

namespace moon {

struct EmbeddingMatrix {
  std::size_t rows = 0;
  std::size_t dim = 0;
  std::vector<float> data;  // rows * dim values, row after row

  EmbeddingMatrix() = default;
  EmbeddingMatrix(std::size_t rows, std::size_t dim);  // zeros
  // Throws FormatError when data.size() != rows * dim.
  EmbeddingMatrix(std::size_t rows, std::size_t dim, std::vector<float> data);
  // One row per inner vector; throws FormatError when the rows differ in length.
  static EmbeddingMatrix fromRows(const std::vector<std::vector<float>>& rows);

  float* row(std::size_t r) { return data.data() + r * dim; }
  const float* row(std::size_t r) const { return data.data() + r * dim; }
  float& at(std::size_t r, std::size_t c) { return data[r * dim + c]; }
  float at(std::size_t r, std::size_t c) const { return data[r * dim + c]; }
  bool empty() const { return rows == 0; }
};

// Inner product accumulated in double, so that every search path (FAISS
// candidates re-scored, brute force) sees bit-identical scores for the same
// pair and ties are real ties.
float dotProduct(const float* a, const float* b, std::size_t dim);
double l2Norm(const float* a, std::size_t dim);
// Cosine similarity; 0 when either vector is zero.
double cosineSimilarity(const float* a, const float* b, std::size_t dim);

// Scales every row to unit length; all-zero rows stay zero.
void l2NormalizeRows(EmbeddingMatrix& m);
EmbeddingMatrix l2Normalized(EmbeddingMatrix m);

// Copies the listed rows, in order. Throws FormatError for an index out of range.
EmbeddingMatrix gatherRows(const EmbeddingMatrix& m, const std::vector<std::size_t>& rows);

// Throws FormatError naming `what` and the first offending row when a value
// is NaN or infinite (a diverged model must not produce silent garbage).
void requireFinite(const EmbeddingMatrix& m, const char* what);

}  // namespace moon
