#pragma once

// A checkpoint's products embedded and projected to 2-D: the Embeddings
// view's data. Both steps are cached next to the checkpoint, in
// <checkpoint>/maps/, so a second opening reads files instead of running the
// model:
//   <split>-<embedding>.safetensors            the L2-normalised rows, ids and traces
//   <split>-<embedding>-<projection>-s<seed>.safetensors  the 2-D points (n x 2)
// A cache file is used only when it was made from the same weights file
// (size and modification time) and dataset folder; otherwise it is rebuilt.
// The header names no LibTorch type, so GUI code calls it directly.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "training/eval/EmbeddingMatrix.h"

namespace moon {

// Which embedding of a product the map shows.
enum class MapEmbedding {
  Reasoned,  // multimodal <emb> after the model's greedy trace
  Disc,      // multimodal <disc_emb>, before any trace
  Image,     // image only (<emb>, no trace)
  Text,      // title only (<emb>, no trace)
};
const char* mapEmbeddingName(MapEmbedding e);  // "emb", "disc", "image", "text"
std::optional<MapEmbedding> parseMapEmbedding(const std::string& name);

enum class MapProjection { Pca, Tsne };
const char* mapProjectionName(MapProjection p);  // "pca", "tsne"
std::optional<MapProjection> parseMapProjection(const std::string& name);

struct EmbeddingMapOptions {
  std::string split = "all";  // products named by this split's triplets, or "all" products
  MapEmbedding embedding = MapEmbedding::Reasoned;
  MapProjection projection = MapProjection::Pca;
  uint64_t seed = 1;
  double perplexity = 30.0;
  int iterations = 750;
  std::string dataDir;          // "" = the checkpoint's dataset
  std::string fallbackDataDir;  // when "" and the checkpoint names none (a bare model checkpoint)
  std::string device = "auto";
  bool useCache = true;
  // What is being done and how far along the whole computation is, in [0, 1] (worker thread).
  std::function<void(const std::string& stage, double fraction)> progress;
  const std::atomic<bool>* cancel = nullptr;  // raised: throws Cancelled (GalleryEmbedder.h)
};

struct EmbeddingMap {
  std::vector<std::string> ids;     // one per point, in row order
  EmbeddingMatrix embeddings;       // L2-normalised, one row per point
  std::vector<std::string> traces;  // the trace each product was embedded after (Reasoned), else empty
  std::vector<float> xy;            // x, y per point
  std::string dataDir;
  bool embeddingsFromCache = false;
  bool projectionFromCache = false;
};

// Throws IoError / FormatError / ConfigError naming the file (missing
// checkpoint, unknown split, a model without reasoning asked for Disc, too
// many points for t-SNE), Cancelled when the cancel flag is raised.
EmbeddingMap computeEmbeddingMap(const std::filesystem::path& checkpoint, const EmbeddingMapOptions& options);

// The products of `split` ("all": every product) in map order: positives and
// negatives of its triplets, each once, in order of first mention.
std::vector<Product> mapProducts(const Dataset& dataset, const std::string& split);

// Near-duplicate groups: products joined by a triplet (positive, negative) of
// any loaded split share a group; group ids count from 0 in product order,
// and a product no triplet names is a group of its own.
std::vector<std::size_t> nearDuplicateGroups(const Dataset& dataset, const std::vector<std::string>& ids);

// The `k` rows nearest to `row` by cosine (rows are unit length), best first, `row` itself left out.
std::vector<std::pair<std::size_t, float>> nearestRows(const EmbeddingMatrix& m, std::size_t row, std::size_t k);

}  // namespace moon
