#include "training/eval/GalleryEmbedder.h"

#include <set>
#include <unordered_map>

#include "core/text/Utf8.h"
#include "model/generation/TraceGenerator.h"
#include "model/inference/BatchViews.h"
#include "training/data/ProductBatchBuilder.h"

namespace moon {
namespace {

LoaderConfig itemLoaderConfig(LoaderConfig l) {
  l.shuffle = false;
  l.augment = false;
  l.drop_last = false;
  return l;
}

void appendRows(const torch::Tensor& t, std::vector<float>& out) {
  const auto c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
  out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Restores the model's training mode however embed() ends.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(MoonModelImpl& m) : model_(m), wasTraining_(m.is_training()) { model_.eval(); }
  ~EvalModeGuard() {
    if (wasTraining_) model_.train();
  }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  MoonModelImpl& model_;
  bool wasTraining_;
};

}  // namespace

const char* traceModeName(TraceMode mode) {
  switch (mode) {
    case TraceMode::None:
      return "none";
    case TraceMode::Target:
      return "target";
    case TraceMode::Greedy:
      return "greedy";
    case TraceMode::Sampled:
      return "sampled";
  }
  return "none";
}

TraceMode parseTraceMode(const std::string& name, const std::string& what) {
  if (name == "none") return TraceMode::None;
  if (name == "target") return TraceMode::Target;
  if (name == "greedy") return TraceMode::Greedy;
  throw ConfigError(what + ": unknown trace mode '" + name + "' (none, target or greedy)");
}

std::int64_t EmbeddedItems::rowOf(const std::string& id) const {
  for (std::size_t r = 0; r < ids.size(); ++r)
    if (ids[r] == id) return static_cast<std::int64_t>(r);
  return -1;
}

GalleryEmbedder::GalleryEmbedder(const LoaderConfig& loader, std::string datasetRoot, BpeTokenizer tokenizer)
    : builder_(std::make_unique<ProductBatchBuilder>(itemLoaderConfig(loader), std::move(datasetRoot), tokenizer)),
      loader_(itemLoaderConfig(loader)),
      tokenizer_(std::move(tokenizer)) {}

GalleryEmbedder::~GalleryEmbedder() = default;

std::size_t GalleryEmbedder::batchSize() const { return static_cast<std::size_t>(loader_.batch_size); }
int64_t GalleryEmbedder::unreadableImages() const { return builder_->unreadableImages(); }

EmbeddedItems GalleryEmbedder::embed(MoonModelImpl& model, const std::vector<Product>& items,
                                     const EmbedOptions& options) const {
  torch::NoGradGuard noGrad;
  EvalModeGuard evalMode(model);
  const bool reasoning = model.config().reasoning;
  EmbeddedItems out;
  out.traceMode = reasoning ? options.traces : TraceMode::None;
  out.embeddings.dim = static_cast<std::size_t>(model.config().embed_dim);
  if (model.config().disc_emb) out.discEmbeddings.dim = out.embeddings.dim;
  ForwardOptions embedOnly;
  embedOnly.traceLogits = false;
  GenerationOptions generation;
  generation.vocabLimit = tokenizer_.vocabSize();
  generation.maxTokens = options.maxTraceTokens;
  if (options.traces == TraceMode::Sampled) {
    generation.sampling = options.sampling;
    generation.sampling.greedy = false;
  }

  auto cancelled = [&] { return options.cancel && options.cancel->load(); };
  bool stopped = cancelled();
  if (stopped) throw Cancelled("embedding cancelled");
  if (options.progress) options.progress(0, items.size());

  builder_->forEachBatch(
      items,
      [&](ProductBatch&& built, std::size_t first) {
        const std::size_t n = static_cast<std::size_t>(built.size());
        std::vector<int64_t> rows;
        for (int64_t b = 0; b < built.size(); ++b)
          if (viewAvailable(built, b, options.modality)) rows.push_back(b);
        out.skipped += n - rows.size();
        if (!rows.empty()) {
          ProductBatch batch = rows.size() == n ? std::move(built) : selectRows(built, rows);
          GenerationResult gen;
          if (out.traceMode == TraceMode::None) {
            batch = withoutTraces(batch);
          } else if (generatesTraces(out.traceMode)) {
            gen = generateTraces(model, withoutTraces(batch), generation);
            batch = withTraces(batch, gen);
          }
          const ModelOutput o = model.forward(batch, embedOnly);
          appendRows(o.embedding, out.embeddings.data);
          if (out.discEmbeddings.dim > 0 && o.discEmbedding.defined())
            appendRows(o.discEmbedding, out.discEmbeddings.data);
          if (generatesTraces(out.traceMode)) {
            const auto tokens = gen.tokens.to(torch::kCPU);
            const auto lengths = gen.lengths.to(torch::kCPU);
            const auto closed = gen.closed.to(torch::kCPU);
            for (int64_t r = 0; r < static_cast<int64_t>(rows.size()); ++r) {
              const int64_t len = lengths[r].item<int64_t>();
              std::vector<int32_t> ids(static_cast<std::size_t>(len));
              for (int64_t t = 0; t < len; ++t) ids[static_cast<std::size_t>(t)] = tokens[r][t].item<int32_t>();
              out.traces.push_back(utf8::lossy(tokenizer_.decode(ids, /*skipSpecial=*/true)));
              out.tracesClosed.push_back(closed[r].item<bool>());
              out.traceTokens.push_back(static_cast<int>(len));
            }
          }
          for (int64_t b : rows) {
            out.itemIndex.push_back(first + static_cast<std::size_t>(b));
            out.ids.push_back(items[first + static_cast<std::size_t>(b)].id);
          }
        }
        if (options.progress) options.progress(first + n, items.size());
        stopped = cancelled();
        return !stopped;
      },
      options.modality);
  if (stopped && out.itemIndex.size() + out.skipped < items.size()) throw Cancelled("embedding cancelled");
  out.embeddings.rows = out.ids.size();
  if (out.discEmbeddings.data.size() == out.ids.size() * out.discEmbeddings.dim && !out.ids.empty()) {
    out.discEmbeddings.rows = out.ids.size();
  } else {
    out.discEmbeddings = EmbeddingMatrix(0, out.embeddings.dim);
  }
  if (out.embeddings.data.size() != out.embeddings.rows * out.embeddings.dim)
    throw FormatError("embedding: the model returned " + std::to_string(out.embeddings.data.size()) + " values for " +
                      std::to_string(out.embeddings.rows) + " items of " + std::to_string(out.embeddings.dim) +
                      " dimensions");
  return out;
}

std::vector<Product> queryItems(const std::vector<Triplet>& triplets, const std::string& prefix) {
  std::vector<Product> out;
  out.reserve(triplets.size());
  for (std::size_t i = 0; i < triplets.size(); ++i) {
    const Query& q = triplets[i].query;
    Product p;
    p.id = prefix + std::to_string(i);
    p.title = q.title.value_or("");
    p.imagePath = q.imagePath.value_or("");
    p.imageAttributes = q.attributes;
    p.textAttributes = q.attributes;
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Product> productsOf(const std::vector<Triplet>& triplets, const std::vector<Product>& catalogue) {
  std::unordered_map<std::string, const Product*> byId;
  for (const auto& p : catalogue) byId.emplace(p.id, &p);
  std::set<std::string> seen;
  std::vector<Product> out;
  for (const auto& t : triplets)
    for (const std::string* id : {&t.positiveId, &t.negativeId})
      if (seen.insert(*id).second)
        if (auto it = byId.find(*id); it != byId.end()) out.push_back(*it->second);
  return out;
}

}  // namespace moon
