#include "training/eval/EmbeddingMap.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/tensorio/Safetensors.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/InferenceContext.h"
#include "training/eval/CheckpointEvaluation.h"
#include "training/eval/CheckpointLoaderConfig.h"
#include "training/eval/GalleryEmbedder.h"
#include "training/eval/Projection.h"
#include "training/eval/SourceStamp.h"

namespace moon {
namespace fs = std::filesystem;
namespace {

TensorRecord floatRecord(const std::string& name, std::size_t rows, std::size_t cols, const float* data) {
  TensorRecord r;
  r.name = name;
  r.dtype = DType::F32;
  r.shape = {int64_t(rows), int64_t(cols)};
  r.data.resize(rows * cols * sizeof(float));
  if (!r.data.empty()) std::memcpy(r.data.data(), data, r.data.size());
  return r;
}

std::vector<float> floats(const TensorRecord& r) {
  std::vector<float> out(std::size_t(r.numel()));
  if (!out.empty()) std::memcpy(out.data(), r.data.data(), out.size() * sizeof(float));
  return out;
}

// A cache file that is missing, stale or unreadable is simply not used.
std::optional<SafetensorsFile> readCache(const fs::path& file, const std::string& stamp) {
  if (!fs::is_regular_file(file)) return std::nullopt;
  try {
    SafetensorsFile f = SafetensorsFile::read(file.string());
    const auto it = f.metadata().find("source");
    if (it == f.metadata().end() || it->second != stamp) return std::nullopt;
    return f;
  } catch (const Error& e) {
    log::training()->warn("ignoring the map cache {}: {}", file.string(), e.what());
    return std::nullopt;
  }
}

void writeCache(const fs::path& file, const std::vector<TensorRecord>& tensors,
                const std::map<std::string, std::string>& metadata) {
  try {
    fs::create_directories(file.parent_path());
    writeSafetensors(file.string(), tensors, metadata);
  } catch (const std::exception& e) {  // a read-only checkpoint folder: the map still shows
    log::training()->warn("could not cache the map in {}: {}", file.string(), e.what());
  }
}

struct Stage {
  const EmbeddingMapOptions& o;
  void operator()(const std::string& name, double fraction) const {
    if (o.progress) o.progress(name, std::clamp(fraction, 0.0, 1.0));
  }
};

}  // namespace

const char* mapEmbeddingName(MapEmbedding e) {
  switch (e) {
    case MapEmbedding::Reasoned:
      return "emb";
    case MapEmbedding::Disc:
      return "disc";
    case MapEmbedding::Image:
      return "image";
    case MapEmbedding::Text:
      return "text";
  }
  return "emb";
}

std::optional<MapEmbedding> parseMapEmbedding(const std::string& name) {
  for (MapEmbedding e : {MapEmbedding::Reasoned, MapEmbedding::Disc, MapEmbedding::Image, MapEmbedding::Text})
    if (name == mapEmbeddingName(e)) return e;
  return std::nullopt;
}

const char* mapProjectionName(MapProjection p) { return p == MapProjection::Pca ? "pca" : "tsne"; }

std::optional<MapProjection> parseMapProjection(const std::string& name) {
  if (name == "pca") return MapProjection::Pca;
  if (name == "tsne" || name == "t-sne") return MapProjection::Tsne;
  return std::nullopt;
}

std::vector<Product> mapProducts(const Dataset& dataset, const std::string& split) {
  if (split == "all") return dataset.products();
  const auto names = dataset.splitNames();
  if (std::find(names.begin(), names.end(), split) == names.end())
    throw ConfigError(dataset.dir() + ": no split '" + split + "' (it has " + std::to_string(names.size()) +
                      " splits loaded)");
  return productsOf(dataset.split(split), dataset.products());
}

std::vector<std::size_t> nearDuplicateGroups(const Dataset& dataset, const std::vector<std::string>& ids) {
  std::unordered_map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> root = [&](const std::string& id) -> std::string {
    auto it = parent.find(id);
    if (it == parent.end() || it->second == id) return id;
    return it->second = root(it->second);
  };
  for (const auto& name : dataset.splitNames())
    for (const Triplet& t : dataset.split(name)) {
      const std::string a = root(t.positiveId), b = root(t.negativeId);
      parent.emplace(a, a);
      parent.emplace(b, b);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    }
  std::unordered_map<std::string, std::size_t> groupOf;
  std::vector<std::size_t> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(groupOf.emplace(root(id), groupOf.size()).first->second);
  return out;
}

std::vector<std::pair<std::size_t, float>> nearestRows(const EmbeddingMatrix& m, std::size_t row, std::size_t k) {
  std::vector<std::pair<std::size_t, float>> all;
  if (row >= m.rows) return all;
  all.reserve(m.rows);
  for (std::size_t r = 0; r < m.rows; ++r)
    if (r != row) all.emplace_back(r, dotProduct(m.row(row), m.row(r), m.dim));
  const std::size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end(), [](const auto& a, const auto& b) {
    return a.second > b.second || (a.second == b.second && a.first < b.first);
  });
  all.resize(n);
  return all;
}

EmbeddingMap computeEmbeddingMap(const fs::path& checkpoint, const EmbeddingMapOptions& o) {
  const Stage stage{o};
  const bool tsne = o.projection == MapProjection::Tsne;
  const double embedShare = tsne ? 0.6 : 0.95;
  stage("loading the checkpoint", 0.0);
  const CheckpointAndData opened = loadCheckpointAndData(checkpoint, o.dataDir, o.fallbackDataDir, o.device);
  const LoadedCheckpoint& loaded = opened.checkpoint;
  EmbeddingMap map;
  map.dataDir = opened.dataDir;
  const Dataset dataset = loadDatasetForSplit(map.dataDir, "all", false);
  const std::vector<Product> products = mapProducts(dataset, o.split);
  if (products.empty()) throw ConfigError(map.dataDir + ": split '" + o.split + "' names no product");
  if (tsne && products.size() > kMaxTsnePoints)
    throw ConfigError("t-SNE is exact here and takes at most " + std::to_string(kMaxTsnePoints) + " points; split '" +
                      o.split + "' has " + std::to_string(products.size()) + " products: use PCA or a smaller split");

  const fs::path cacheDir = fs::path(loaded.dir) / "maps";
  const std::string base = o.split + "-" + mapEmbeddingName(o.embedding);
  const std::string stamp = checkpointSourceStamp(loaded.dir, map.dataDir);

  std::optional<SafetensorsFile> cached =
      o.useCache ? readCache(cacheDir / (base + ".safetensors"), stamp) : std::nullopt;
  if (cached && cached->find("embeddings")) {
    const TensorRecord& r = *cached->find("embeddings");
    const auto ids = nlohmann::json::parse(cached->metadata().at("ids"), nullptr, false);
    const auto traces = nlohmann::json::parse(
        cached->metadata().count("traces") ? cached->metadata().at("traces") : "[]", nullptr, false);
    if (r.shape.size() == 2 && ids.is_array() && ids.size() == std::size_t(r.shape[0]) && traces.is_array()) {
      map.ids = ids.get<std::vector<std::string>>();
      map.traces = traces.get<std::vector<std::string>>();
      map.embeddings = EmbeddingMatrix(std::size_t(r.shape[0]), std::size_t(r.shape[1]), floats(r));
      map.embeddingsFromCache = true;
    }
  }
  if (!map.embeddingsFromCache) {
    EmbedOptions e;
    e.modality = o.embedding == MapEmbedding::Image  ? Modality::Image
                 : o.embedding == MapEmbedding::Text ? Modality::Text
                                                     : Modality::Multimodal;
    e.traces = o.embedding == MapEmbedding::Reasoned ? TraceMode::Greedy : TraceMode::None;
    e.cancel = o.cancel;
    e.progress = [&](std::size_t done, std::size_t total) {
      stage("embedding products", 0.05 + embedShare * 0.9 * double(done) / double(std::max<std::size_t>(total, 1)));
    };
    stage("embedding products", 0.05);
    const GalleryEmbedder embedder(loaderConfigFor(loaded), dataset.dir(), loaded.requireTokenizer());
    EmbeddedItems items = embedder.embed(*loaded.context->model(), products, e);
    if (o.embedding == MapEmbedding::Disc) {
      if (items.discEmbeddings.rows == 0)
        throw ConfigError(loaded.dir + ": this model has no <disc_emb> (reasoning is off); choose another embedding");
      map.embeddings = std::move(items.discEmbeddings);
    } else {
      map.embeddings = std::move(items.embeddings);
    }
    if (map.embeddings.rows == 0)
      throw FormatError(map.dataDir + ": none of the " + std::to_string(products.size()) +
                        " products can be shown as " + mapEmbeddingName(o.embedding));
    l2NormalizeRows(map.embeddings);
    map.ids = std::move(items.ids);
    map.traces = std::move(items.traces);
    writeCache(cacheDir / (base + ".safetensors"),
               {floatRecord("embeddings", map.embeddings.rows, map.embeddings.dim, map.embeddings.data.data())},
               {{"source", stamp},
                {"ids", nlohmann::json(map.ids).dump()},
                {"traces", nlohmann::json(map.traces).dump()},
                {"split", o.split},
                {"embedding", mapEmbeddingName(o.embedding)}});
  }

  // The projection's stamp names the embeddings it was made from.
  const std::string projectionFile =
      base + "-" + mapProjectionName(o.projection) + "-s" + std::to_string(o.seed) + ".safetensors";
  const std::string projectionStamp =
      stamp + "|" + std::to_string(map.embeddings.rows) +
      (tsne ? "|p" + std::to_string(o.perplexity) + "|i" + std::to_string(o.iterations) : std::string());
  std::optional<SafetensorsFile> cachedXy =
      o.useCache && map.embeddingsFromCache ? readCache(cacheDir / projectionFile, projectionStamp) : std::nullopt;
  if (cachedXy && cachedXy->find("xy") && cachedXy->find("xy")->numel() == int64_t(2 * map.embeddings.rows)) {
    map.xy = floats(*cachedXy->find("xy"));
    map.projectionFromCache = true;
  } else if (tsne) {
    TsneOptions t;
    t.perplexity = o.perplexity;
    t.iterations = o.iterations;
    t.seed = o.seed;
    t.cancel = o.cancel;
    t.progress = [&](double f) { stage("t-SNE", embedShare + (1.0 - embedShare) * f); };
    map.xy = tsneProjection(map.embeddings, t);
  } else {
    stage("PCA", embedShare);
    map.xy = pcaProjection(map.embeddings);
  }
  if (!map.projectionFromCache)
    writeCache(cacheDir / projectionFile, {floatRecord("xy", map.embeddings.rows, 2, map.xy.data())},
               {{"source", projectionStamp}, {"projection", mapProjectionName(o.projection)}});
  stage("done", 1.0);
  return map;
}

}  // namespace moon
