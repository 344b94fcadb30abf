#include "training/eval/ResumableEmbedding.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/tensorio/Safetensors.h"

namespace moon {
namespace {
namespace fs = std::filesystem;

constexpr const char* kManifest = "manifest.json";

std::string chunkFile(const std::string& folder, std::size_t chunk) {
  char name[48];
  std::snprintf(name, sizeof name, "chunk-%06zu.safetensors", chunk);
  return (fs::path(folder) / name).string();
}

// Starts the folder over unless its manifest is of these inputs.
void prepareFolder(const ResumableEmbedOptions& r, std::size_t items, std::size_t chunkItems) {
  const nlohmann::json manifest = {{"fingerprint", r.fingerprint}, {"items", items}, {"chunk_items", chunkItems}};
  const fs::path file = fs::path(r.folder) / kManifest;
  std::error_code ec;
  if (fs::exists(file, ec)) {
    std::ifstream in(file);
    const auto old = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (old == manifest) return;
    fs::remove_all(r.folder, ec);
  }
  fs::create_directories(r.folder, ec);
  if (ec) throw IoError(r.folder + ": cannot create the folder for resumable chunks: " + ec.message());
  writeFileAtomically(file.string(), manifest.dump(2) + "\n");
}

void writeChunk(const std::string& path, const EmbeddedItems& e, std::size_t offset) {
  TensorRecord emb;
  emb.name = "embeddings";
  emb.dtype = DType::F32;
  emb.shape = {static_cast<int64_t>(e.embeddings.rows), static_cast<int64_t>(e.embeddings.dim)};
  emb.data.resize(e.embeddings.data.size() * sizeof(float));
  if (!emb.data.empty()) std::memcpy(emb.data.data(), e.embeddings.data.data(), emb.data.size());
  TensorRecord index;
  index.name = "item_index";
  index.dtype = DType::I64;
  index.shape = {static_cast<int64_t>(e.itemIndex.size())};
  index.data.resize(e.itemIndex.size() * sizeof(int64_t));
  for (std::size_t i = 0; i < e.itemIndex.size(); ++i) {
    const auto v = static_cast<int64_t>(e.itemIndex[i] + offset);
    std::memcpy(index.data.data() + i * sizeof(int64_t), &v, sizeof v);
  }
  writeSafetensors(path, {emb, index},
                   {{"ids", nlohmann::json(e.ids).dump()},
                    {"skipped", std::to_string(e.skipped)},
                    {"trace_mode", traceModeName(e.traceMode)}});
}

// A chunk read back from `path` (item indices as stored: into all items).
EmbeddedItems readChunk(const std::string& path) {
  const SafetensorsFile file = SafetensorsFile::read(path);
  const TensorRecord* emb = file.find("embeddings");
  const TensorRecord* index = file.find("item_index");
  const auto& meta = file.metadata();
  if (!emb || !index || emb->dtype != DType::F32 || index->dtype != DType::I64 || emb->shape.size() != 2 ||
      index->shape.size() != 1 || index->shape[0] != emb->shape[0] || !meta.count("ids") || !meta.count("skipped"))
    throw FormatError(path + ": not a chunk of a resumable embedding");
  const auto ids = nlohmann::json::parse(meta.at("ids"), nullptr, false);
  const auto rows = static_cast<std::size_t>(emb->shape[0]), dim = static_cast<std::size_t>(emb->shape[1]);
  if (!ids.is_array() || ids.size() != rows) throw FormatError(path + ": its ids do not match its rows");
  EmbeddedItems chunk;
  const auto* values = reinterpret_cast<const float*>(emb->data.data());
  chunk.embeddings = EmbeddingMatrix(rows, dim, std::vector<float>(values, values + rows * dim));
  for (std::size_t i = 0; i < rows; ++i) {
    int64_t v = 0;
    std::memcpy(&v, index->data.data() + i * sizeof(int64_t), sizeof v);
    chunk.itemIndex.push_back(static_cast<std::size_t>(v));
    chunk.ids.push_back(ids[i].get<std::string>());
  }
  chunk.skipped = std::stoull(meta.at("skipped"));
  if (meta.count("trace_mode"))
    for (TraceMode m : {TraceMode::None, TraceMode::Target, TraceMode::Greedy, TraceMode::Sampled})
      if (meta.at("trace_mode") == traceModeName(m)) chunk.traceMode = m;
  return chunk;
}

// Appends `chunk`'s rows to `out`, its item indices moved by `offset`.
void append(EmbeddedItems& out, const EmbeddedItems& chunk, std::size_t offset, const std::string& path) {
  const std::size_t rows = chunk.embeddings.rows, dim = chunk.embeddings.dim;
  if (out.embeddings.dim == 0) out.embeddings.dim = dim;
  if (rows > 0 && dim != out.embeddings.dim) throw FormatError(path + ": embeddings of another width");
  out.embeddings.data.insert(out.embeddings.data.end(), chunk.embeddings.data.begin(), chunk.embeddings.data.end());
  out.embeddings.rows += rows;
  for (std::size_t i : chunk.itemIndex) out.itemIndex.push_back(i + offset);
  out.ids.insert(out.ids.end(), chunk.ids.begin(), chunk.ids.end());
  out.skipped += chunk.skipped;
  out.traceMode = chunk.traceMode;
}

}  // namespace

ResumableEmbedResult embedResumable(const GalleryEmbedder& embedder, MoonModelImpl& model,
                                    const std::vector<Product>& items, const EmbedOptions& options,
                                    const ResumableEmbedOptions& resumable) {
  // Whole batches per chunk: the batches are the ones a single run would form.
  const std::size_t batch = std::max<std::size_t>(1, embedder.batchSize());
  const std::size_t chunkItems = (std::max<std::size_t>(1, resumable.chunkItems) + batch - 1) / batch * batch;
  prepareFolder(resumable, items.size(), chunkItems);

  ResumableEmbedResult result;
  result.chunks = (items.size() + chunkItems - 1) / chunkItems;
  result.items.traceMode = options.traces;
  for (std::size_t c = 0; c < result.chunks; ++c) {
    const std::size_t begin = c * chunkItems, end = std::min(items.size(), begin + chunkItems);
    const std::string path = chunkFile(resumable.folder, c);
    std::error_code ec;
    if (fs::exists(path, ec)) {
      append(result.items, readChunk(path), 0, path);
      ++result.resumedChunks;
    } else {
      EmbedOptions part = options;
      if (options.progress)
        part.progress = [&](std::size_t done, std::size_t) { options.progress(begin + done, items.size()); };
      const std::vector<Product> slice(items.begin() + static_cast<std::ptrdiff_t>(begin),
                                       items.begin() + static_cast<std::ptrdiff_t>(end));
      const EmbeddedItems chunk = embedder.embed(model, slice, part);
      writeChunk(path, chunk, begin);
      append(result.items, chunk, begin, path);
    }
    if (options.progress) options.progress(end, items.size());
  }
  return result;
}

}  // namespace moon
