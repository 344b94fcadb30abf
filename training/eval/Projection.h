#pragma once

// 2-D maps of embeddings for the Embeddings view: PCA, an exact t-SNE (van
// der Maaten 2008, with the gains, momentum and early exaggeration of his
// reference implementation and PCA initialisation after Kobak & Berens 2019)
// for up to kMaxTsnePoints points, and a Procrustes fit that puts one map on
// another's axes. Results are (x, y) pairs, row after row. Computed with
// LibTorch on the CPU; the header names no LibTorch type.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "training/eval/EmbeddingMatrix.h"

namespace moon {

// Exact t-SNE costs O(n²) memory and time per iteration; past this, PCA.
inline constexpr std::size_t kMaxTsnePoints = 5000;

// The first two principal components, each sign fixed so its largest
// loading is positive (the same data always gives the same map). Fewer than
// two rows or dimensions give zeros where a component is missing.
std::vector<float> pcaProjection(const EmbeddingMatrix& points);

struct TsneOptions {
  double perplexity = 30.0;  // lowered to (n - 1) / 3 for small n
  int iterations = 750;
  uint64_t seed = 1;  // the jitter added to the PCA start
  std::function<void(double fraction)> progress;
  const std::atomic<bool>* cancel = nullptr;  // raised: throws Cancelled (GalleryEmbedder.h)
};

// Throws ConfigError for more than kMaxTsnePoints rows or a perplexity < 1.
std::vector<float> tsneProjection(const EmbeddingMatrix& points, const TsneOptions& options);

// A rotation or reflection, uniform scale and translation of the plane:
// p' = scale * p R + shift (p a row vector).
struct SimilarityTransform2D {
  double r00 = 1, r01 = 0, r10 = 0, r11 = 1;
  double scale = 1;
  double shiftX = 0, shiftY = 0;
  std::vector<float> apply(const std::vector<float>& points) const;
};

// The transform that moves `points` onto `reference` (same rows, same order)
// with the least squared distance (orthogonal Procrustes): fitted on the
// products two maps share (two checkpoints of a run), then applied to all of
// one map, it puts both on aligned axes. Throws FormatError for sizes that
// differ or are odd.
SimilarityTransform2D fitProcrustes(const std::vector<float>& points, const std::vector<float>& reference);

// fitProcrustes(points, reference).apply(points).
std::vector<float> procrustesAlign(const std::vector<float>& points, const std::vector<float>& reference);

}  // namespace moon
