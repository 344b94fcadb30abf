#pragma once

// Exact inner-product search over a gallery with FAISS (IndexFlatIP).
//
// FAISS finds the candidates; the result is then made deterministic and
// identical to searchTopKBruteForce():
//   * each candidate is re-scored with dotProduct() (FAISS's BLAS path can
//     give two identical gallery rows scores that differ in the last bit,
//     which would turn a tie into an arbitrary order);
//   * candidates are sorted by (score descending, gallery index ascending);
//   * FAISS is asked for more than k rows, and a query is searched again
//     with twice as many whenever the last candidate's score is within
//     FAISS's rounding tolerance of the k-th score, so rows tied at the k
//     boundary are never cut by FAISS's own tie order.
// Callers pass L2-normalised embeddings when they want cosine similarity.

#include <cstddef>
#include <memory>

#include "training/eval/EmbeddingMatrix.h"
#include "training/eval/SearchResult.h"

namespace faiss {
struct IndexFlatIP;
}

namespace moon {

class GalleryIndex {
 public:
  // Copies the gallery into the index. Throws FormatError on a non-finite value.
  explicit GalleryIndex(const EmbeddingMatrix& gallery);
  ~GalleryIndex();
  GalleryIndex(GalleryIndex&&) noexcept;
  GalleryIndex& operator=(GalleryIndex&&) noexcept;
  GalleryIndex(const GalleryIndex&) = delete;
  GalleryIndex& operator=(const GalleryIndex&) = delete;

  std::size_t size() const { return rows_; }
  std::size_t dim() const { return dim_; }
  const float* row(std::size_t r) const;  // the stored gallery row

  // Top min(k, size()) rows per query (see SearchResult.h for the order).
  // Throws FormatError when the query dimension differs or a value is not finite.
  SearchResult search(const EmbeddingMatrix& queries, std::size_t k) const;

 private:
  std::unique_ptr<faiss::IndexFlatIP> index_;
  std::size_t rows_ = 0;
  std::size_t dim_ = 0;
  double maxNorm_ = 0.0;  // largest gallery row norm, scales the rounding tolerance
};

// One-shot convenience: builds a GalleryIndex and searches it.
SearchResult searchTopK(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery, std::size_t k);

}  // namespace moon
