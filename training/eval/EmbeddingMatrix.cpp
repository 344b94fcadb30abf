#include "training/eval/EmbeddingMatrix.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/Error.h"

namespace moon {

EmbeddingMatrix::EmbeddingMatrix(std::size_t rows, std::size_t dim) : rows(rows), dim(dim), data(rows * dim, 0.0f) {}

EmbeddingMatrix::EmbeddingMatrix(std::size_t rows, std::size_t dim, std::vector<float> values)
    : rows(rows), dim(dim), data(std::move(values)) {
  if (data.size() != rows * dim)
    throw FormatError("embedding matrix: " + std::to_string(data.size()) + " values for " + std::to_string(rows) +
                      " x " + std::to_string(dim));
}

EmbeddingMatrix EmbeddingMatrix::fromRows(const std::vector<std::vector<float>>& rowValues) {
  EmbeddingMatrix m;
  m.rows = rowValues.size();
  m.dim = rowValues.empty() ? 0 : rowValues.front().size();
  m.data.reserve(m.rows * m.dim);
  for (std::size_t r = 0; r < rowValues.size(); ++r) {
    if (rowValues[r].size() != m.dim)
      throw FormatError("embedding matrix: row " + std::to_string(r) + " has " + std::to_string(rowValues[r].size()) +
                        " values, row 0 has " + std::to_string(m.dim));
    m.data.insert(m.data.end(), rowValues[r].begin(), rowValues[r].end());
  }
  return m;
}

float dotProduct(const float* a, const float* b, std::size_t dim) {
  double sum = 0.0;
  for (std::size_t i = 0; i < dim; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return static_cast<float>(sum);
}

double l2Norm(const float* a, std::size_t dim) {
  double sum = 0.0;
  for (std::size_t i = 0; i < dim; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(a[i]);
  return std::sqrt(sum);
}

double cosineSimilarity(const float* a, const float* b, std::size_t dim) {
  double na = l2Norm(a, dim);
  double nb = l2Norm(b, dim);
  if (na == 0.0 || nb == 0.0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < dim; ++i) sum += static_cast<double>(a[i]) * static_cast<double>(b[i]);
  return sum / (na * nb);
}

void l2NormalizeRows(EmbeddingMatrix& m) {
  for (std::size_t r = 0; r < m.rows; ++r) {
    float* v = m.row(r);
    double n = l2Norm(v, m.dim);
    if (n == 0.0) continue;
    for (std::size_t i = 0; i < m.dim; ++i) v[i] = static_cast<float>(v[i] / n);
  }
}

EmbeddingMatrix l2Normalized(EmbeddingMatrix m) {
  l2NormalizeRows(m);
  return m;
}

EmbeddingMatrix gatherRows(const EmbeddingMatrix& m, const std::vector<std::size_t>& rows) {
  EmbeddingMatrix out(rows.size(), m.dim);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= m.rows)
      throw FormatError("embedding matrix: row " + std::to_string(rows[i]) + " requested from " +
                        std::to_string(m.rows) + " rows");
    std::copy(m.row(rows[i]), m.row(rows[i]) + m.dim, out.row(i));
  }
  return out;
}

void requireFinite(const EmbeddingMatrix& m, const char* what) {
  for (std::size_t r = 0; r < m.rows; ++r) {
    const float* v = m.row(r);
    for (std::size_t i = 0; i < m.dim; ++i)
      if (!std::isfinite(v[i]))
        throw FormatError(std::string(what) + ": row " + std::to_string(r) + " holds a non-finite value (" +
                          std::to_string(v[i]) + ") at column " + std::to_string(i));
  }
}

}  // namespace moon
