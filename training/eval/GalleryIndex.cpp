#include "training/eval/GalleryIndex.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include <faiss/IndexFlat.h>
#include <faiss/impl/FaissException.h>

#include "core/base/Error.h"

namespace moon {

namespace {

using FaissIdx = faiss::Index::idx_t;

// FAISS accumulates in float (BLAS for large batches); its scores can differ
// from the double-accumulated dotProduct() by a few ulps of |q|·|g|. This is
// far above that bound, and a too-large value only costs a wider search.
constexpr double kRelativeTolerance = 1e-4;
constexpr std::size_t kMinExtraCandidates = 16;

}  // namespace

GalleryIndex::GalleryIndex(const EmbeddingMatrix& gallery) : rows_(gallery.rows), dim_(gallery.dim) {
  requireFinite(gallery, "search gallery");
  if (rows_ > 0 && dim_ == 0) throw FormatError("search gallery: embeddings have dimension 0");
  index_ = std::make_unique<faiss::IndexFlatIP>(static_cast<FaissIdx>(dim_));
  if (rows_ > 0) index_->add(static_cast<FaissIdx>(rows_), gallery.data.data());
  for (std::size_t r = 0; r < rows_; ++r) maxNorm_ = std::max(maxNorm_, l2Norm(gallery.row(r), dim_));
}

GalleryIndex::~GalleryIndex() = default;
GalleryIndex::GalleryIndex(GalleryIndex&&) noexcept = default;
GalleryIndex& GalleryIndex::operator=(GalleryIndex&&) noexcept = default;

const float* GalleryIndex::row(std::size_t r) const { return index_->get_xb() + r * dim_; }

SearchResult GalleryIndex::search(const EmbeddingMatrix& queries, std::size_t k) const {
  if (!queries.empty() && rows_ > 0 && queries.dim != dim_)
    throw FormatError("search: queries have dimension " + std::to_string(queries.dim) + ", gallery has " +
                      std::to_string(dim_));
  requireFinite(queries, "search queries");

  SearchResult out;
  out.queries = queries.rows;
  out.k = std::min(k, rows_);
  out.indices.resize(out.queries * out.k);
  out.scores.resize(out.queries * out.k);
  if (out.k == 0 || out.queries == 0) return out;

  std::vector<std::size_t> pending(queries.rows);
  std::iota(pending.begin(), pending.end(), std::size_t{0});
  std::size_t fetch = std::min(rows_, out.k + std::max(out.k, kMinExtraCandidates));
  std::vector<std::pair<float, std::int64_t>> candidates;

  while (!pending.empty()) {
    std::vector<float> batch(pending.size() * dim_);
    for (std::size_t i = 0; i < pending.size(); ++i)
      std::copy(queries.row(pending[i]), queries.row(pending[i]) + dim_, batch.begin() + i * dim_);
    std::vector<float> distances(pending.size() * fetch);
    std::vector<FaissIdx> labels(pending.size() * fetch);
    try {
      index_->search(static_cast<FaissIdx>(pending.size()), batch.data(), static_cast<FaissIdx>(fetch),
                     distances.data(), labels.data());
    } catch (const faiss::FaissException& e) {
      throw Error(std::string("FAISS search failed: ") + e.what());
    }

    std::vector<std::size_t> retry;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const std::size_t q = pending[i];
      const float* qv = queries.row(q);
      candidates.clear();
      for (std::size_t j = 0; j < fetch; ++j) {
        FaissIdx label = labels[i * fetch + j];
        if (label < 0) continue;  // FAISS pads with -1 when it has fewer rows than asked
        candidates.emplace_back(dotProduct(qv, row(static_cast<std::size_t>(label)), dim_), label);
      }
      std::sort(candidates.begin(), candidates.end(),
                [](const auto& a, const auto& b) { return ranksBefore(a.first, a.second, b.first, b.second); });
      if (fetch == rows_ && candidates.size() < out.k)
        throw Error("FAISS search returned " + std::to_string(candidates.size()) + " of " + std::to_string(rows_) +
                    " gallery rows");
      if (fetch < rows_) {
        // Rows FAISS did not return score at most the last returned one (up to
        // rounding). Only if that bound is safely below the k-th exact score can
        // no missing row belong in the top k.
        const double tolerance = kRelativeTolerance * l2Norm(qv, dim_) * maxNorm_;
        const double lastFaissScore = distances[i * fetch + fetch - 1];
        if (candidates.size() < out.k || !(lastFaissScore < candidates[out.k - 1].first - tolerance)) {
          retry.push_back(q);
          continue;
        }
      }
      for (std::size_t j = 0; j < out.k; ++j) {
        out.scores[q * out.k + j] = candidates[j].first;
        out.indices[q * out.k + j] = candidates[j].second;
      }
    }
    pending = std::move(retry);
    fetch = std::min(rows_, fetch * 2);
  }
  return out;
}

SearchResult searchTopK(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery, std::size_t k) {
  return GalleryIndex(gallery).search(queries, k);
}

}  // namespace moon
