#pragma once

// Approximate inner-product search for catalogue-sized galleries (issue #16):
// a FAISS inverted-file index (IVF-Flat) whose lists are k-means cells of the
// gallery; a query scans only the `probes` nearest cells. Candidates are
// ranked with exact dotProduct() scores in the shared order (SearchResult.h),
// so the only approximation is which rows are looked at: recall@k against
// GalleryIndex (exact) measures it. The index is saved and read back, so a
// gallery is clustered once.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "training/eval/EmbeddingMatrix.h"
#include "training/eval/SearchResult.h"

namespace faiss {
struct IndexIVFFlat;
}  // namespace faiss

namespace moon {

struct ApproximateIndexOptions {
  std::size_t lists = 0;   // k-means cells; 0: 4·√n, at least 1, at most n / 39 (FAISS's minimum per cell)
  std::size_t probes = 0;  // cells scanned per query; 0: lists / 16, at least 1
  uint64_t seed = 1;       // k-means initialisation
};

class ApproximateGalleryIndex {
 public:
  // Clusters and fills the index. Throws FormatError for a non-finite value,
  // ConfigError for an empty gallery.
  ApproximateGalleryIndex(const EmbeddingMatrix& gallery, const ApproximateIndexOptions& options = {});
  ~ApproximateGalleryIndex();
  ApproximateGalleryIndex(ApproximateGalleryIndex&&) noexcept;
  ApproximateGalleryIndex& operator=(ApproximateGalleryIndex&&) noexcept;

  // Written atomically (a temporary file renamed); throws IoError naming the file.
  void save(const std::string& path) const;
  // Throws IoError for a missing file, FormatError naming it for anything
  // that is not an IVF-Flat inner-product index.
  static ApproximateGalleryIndex load(const std::string& path);

  std::size_t size() const;
  std::size_t dim() const;
  std::size_t lists() const;
  std::size_t probes() const { return probes_; }
  void setProbes(std::size_t probes);  // clamped to [1, lists()]

  // Top min(k, size()) rows per query among the probed cells, exact scores,
  // shared order; when those cells hold fewer rows the row ends in index -1,
  // score -infinity.
  SearchResult search(const EmbeddingMatrix& queries, std::size_t k) const;

 private:
  ApproximateGalleryIndex() = default;
  std::unique_ptr<faiss::IndexIVFFlat> index_;  // owns its quantizer
  std::size_t probes_ = 1;
};

// Mean over queries of |approximate top-k ∩ exact top-k| / k.
double recallAtK(const SearchResult& approximate, const SearchResult& exact, std::size_t k);

}  // namespace moon
