#include "training/eval/ApproximateIndex.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <faiss/IndexFlat.h>
#include <faiss/IndexIVFFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_io.h>

#include "core/base/Error.h"

namespace moon {
namespace {

using FaissIdx = faiss::Index::idx_t;

std::size_t defaultLists(std::size_t n) {
  const auto wanted = std::size_t(4.0 * std::sqrt(double(n)));
  return std::clamp<std::size_t>(wanted, 1, std::max<std::size_t>(1, n / 39));
}

}  // namespace

ApproximateGalleryIndex::ApproximateGalleryIndex(const EmbeddingMatrix& gallery, const ApproximateIndexOptions& o) {
  requireFinite(gallery, "approximate search gallery");
  if (gallery.rows == 0 || gallery.dim == 0) throw ConfigError("approximate search: the gallery is empty");
  const std::size_t lists = o.lists > 0 ? std::min(o.lists, gallery.rows) : defaultLists(gallery.rows);
  auto* quantizer = new faiss::IndexFlatIP(FaissIdx(gallery.dim));
  index_ = std::make_unique<faiss::IndexIVFFlat>(quantizer, FaissIdx(gallery.dim), lists, faiss::METRIC_INNER_PRODUCT);
  index_->own_fields = true;
  index_->cp.seed = int(o.seed);
  // k-means on at most 64 points per cell (FAISS's default is 256): a million
  // rows cluster in a quarter of the time, with cells as good for search.
  index_->cp.max_points_per_centroid = 64;
  index_->cp.verbose = false;
  try {
    index_->train(FaissIdx(gallery.rows), gallery.data.data());
    index_->add(FaissIdx(gallery.rows), gallery.data.data());
    index_->make_direct_map(true);  // re-scoring reconstructs candidate rows by id
  } catch (const faiss::FaissException& e) {
    throw FormatError(std::string("approximate search: FAISS could not build the index: ") + e.what());
  }
  setProbes(o.probes > 0 ? o.probes : std::max<std::size_t>(1, lists / 16));
}

ApproximateGalleryIndex::~ApproximateGalleryIndex() = default;
ApproximateGalleryIndex::ApproximateGalleryIndex(ApproximateGalleryIndex&&) noexcept = default;
ApproximateGalleryIndex& ApproximateGalleryIndex::operator=(ApproximateGalleryIndex&&) noexcept = default;

std::size_t ApproximateGalleryIndex::size() const { return std::size_t(index_->ntotal); }
std::size_t ApproximateGalleryIndex::dim() const { return std::size_t(index_->d); }
std::size_t ApproximateGalleryIndex::lists() const { return index_->nlist; }

void ApproximateGalleryIndex::setProbes(std::size_t probes) {
  probes_ = std::clamp<std::size_t>(probes, 1, lists());
  index_->nprobe = probes_;
}

void ApproximateGalleryIndex::save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  try {
    faiss::write_index(index_.get(), tmp.c_str());
  } catch (const faiss::FaissException& e) {
    throw IoError(path + ": could not write the index: " + e.what());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw IoError(path + ": could not write the index: " + ec.message());
}

ApproximateGalleryIndex ApproximateGalleryIndex::load(const std::string& path) {
  if (!std::filesystem::is_regular_file(path)) throw IoError(path + ": no such index file");
  std::unique_ptr<faiss::Index> read;
  try {
    read.reset(faiss::read_index(path.c_str()));
  } catch (const faiss::FaissException& e) {
    throw FormatError(path + ": not a FAISS index (" + std::string(e.what()) + ")");
  }
  auto* ivf = dynamic_cast<faiss::IndexIVFFlat*>(read.get());
  if (!ivf || ivf->metric_type != faiss::METRIC_INNER_PRODUCT)
    throw FormatError(path + ": not an inner-product IVF-Flat index");
  ApproximateGalleryIndex out;
  out.index_.reset(ivf);
  (void)read.release();
  if (out.index_->direct_map.type == faiss::DirectMap::NoMap) out.index_->make_direct_map(true);
  out.probes_ = std::clamp<std::size_t>(std::size_t(ivf->nprobe), 1, ivf->nlist);
  return out;
}

SearchResult ApproximateGalleryIndex::search(const EmbeddingMatrix& queries, std::size_t k) const {
  if (!queries.empty() && queries.dim != dim())
    throw FormatError("approximate search: queries have dimension " + std::to_string(queries.dim) + ", gallery has " +
                      std::to_string(dim()));
  requireFinite(queries, "approximate search queries");
  SearchResult out;
  out.queries = queries.rows;
  out.k = std::min(k, size());
  out.indices.assign(out.queries * out.k, -1);
  out.scores.assign(out.queries * out.k, -std::numeric_limits<float>::infinity());
  if (out.k == 0 || out.queries == 0) return out;
  // FAISS scores in float; rows tied within its rounding would keep FAISS's
  // order, so a few more are fetched and all are re-scored exactly.
  const std::size_t fetch = std::min(size(), out.k + std::max<std::size_t>(out.k, 16));
  std::vector<float> distances(queries.rows * fetch);
  std::vector<FaissIdx> labels(queries.rows * fetch);
  index_->search(FaissIdx(queries.rows), queries.data.data(), FaissIdx(fetch), distances.data(), labels.data());
  std::vector<float> stored(dim());
  std::vector<std::pair<float, std::int64_t>> candidates;
  for (std::size_t q = 0; q < queries.rows; ++q) {
    candidates.clear();
    for (std::size_t j = 0; j < fetch; ++j) {
      const FaissIdx id = labels[q * fetch + j];
      if (id < 0) continue;
      index_->reconstruct(id, stored.data());
      candidates.emplace_back(dotProduct(queries.row(q), stored.data(), dim()), std::int64_t(id));
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return ranksBefore(a.first, a.second, b.first, b.second); });
    for (std::size_t j = 0; j < out.k && j < candidates.size(); ++j) {
      out.indices[q * out.k + j] = candidates[j].second;
      out.scores[q * out.k + j] = candidates[j].first;
    }
  }
  return out;
}

double recallAtK(const SearchResult& approximate, const SearchResult& exact, std::size_t k) {
  if (approximate.queries != exact.queries || exact.queries == 0) return 0.0;
  const std::size_t ka = std::min(k, approximate.k), ke = std::min(k, exact.k);
  if (ke == 0) return 0.0;
  double sum = 0;
  for (std::size_t q = 0; q < exact.queries; ++q) {
    std::unordered_set<std::int64_t> truth;
    for (std::size_t j = 0; j < ke; ++j) truth.insert(exact.index(q, j));
    std::size_t found = 0;
    for (std::size_t j = 0; j < ka; ++j) found += truth.count(approximate.index(q, j));
    sum += double(found) / double(ke);
  }
  return sum / double(exact.queries);
}

}  // namespace moon
