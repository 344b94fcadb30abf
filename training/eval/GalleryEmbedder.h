#pragma once

// Embeds a list of catalogue items (products, or triplet queries turned into
// items with queryItems()) in one modality, batch by batch, into an
// EmbeddingMatrix: the path shared by evaluation, `moon embed`, the trainer's
// quick validation and the GUI's embedding views.
//
//   GalleryEmbedder embedder(loaderConfig, dataset.dir(), tokenizer);
//   EmbedOptions o;
//   o.modality = Modality::Text;
//   o.traces = TraceMode::Greedy;
//   o.progress = [](size_t done, size_t total) { ... };
//   o.cancel = &stopFlag;
//   EmbeddedItems e = embedder.embed(*model, products, o);   // e.ids[r] <-> e.embeddings row r
//
// Traces: None embeds after an empty think block (how candidates are embedded,
// LREM), Target after the item's labelled attributes (teacher forcing, fast),
// Greedy after a trace generated in batches with the KV cache (how queries are
// embedded at evaluation). A model without reasoning always embeds with None.
//
// Thread-safety: no globals, no printing. The GUI calls embed() from a worker
// thread; the model must not be trained meanwhile. embed() runs without
// gradient and puts the model back into the mode it found it in.

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/base/Error.h"
#include "core/data/Product.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/data/LoaderConfig.h"
#include "training/eval/EmbeddingMatrix.h"

namespace moon {

class ProductBatchBuilder;

enum class TraceMode { None, Target, Greedy };

const char* traceModeName(TraceMode mode);  // "none", "target", "greedy"
// Throws ConfigError naming `what` (e.g. "--query-traces") for anything else.
TraceMode parseTraceMode(const std::string& name, const std::string& what);

// Thrown by embed() (and the Evaluator) when the cancel flag is raised.
class Cancelled : public Error {
 public:
  using Error::Error;
};

struct EmbedOptions {
  Modality modality = Modality::Multimodal;
  TraceMode traces = TraceMode::None;
  int maxTraceTokens = 0;  // greedy traces; 0 = the model's max_trace_tokens
  // After each batch: items handled so far (skipped ones included) of all items.
  std::function<void(std::size_t done, std::size_t total)> progress;
  // Checked before every batch; when it reads true embed() throws Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

struct EmbeddedItems {
  std::vector<std::string> ids;           // one per row
  std::vector<std::size_t> itemIndex;     // row -> index into the items given
  EmbeddingMatrix embeddings;             // <emb>, L2-normalised
  EmbeddingMatrix discEmbeddings;         // <disc_emb>; empty (0 rows) when the model has none
  std::vector<std::string> traces;        // generated trace text per row (Greedy only, else empty)
  std::vector<bool> tracesClosed;         // the generated trace ended with </think> (Greedy only)
  TraceMode traceMode = TraceMode::None;  // what was used (None when the model has no reasoning)
  std::size_t skipped = 0;                // items that cannot show the modality (no title, unreadable image)

  // Row of `id`, or -1.
  std::int64_t rowOf(const std::string& id) const;
};

class GalleryEmbedder {
 public:
  // `loader` gives the batch size, worker threads, image size and token
  // limits (shuffle and augmentation are ignored: items are never augmented).
  GalleryEmbedder(const LoaderConfig& loader, std::string datasetRoot, BpeTokenizer tokenizer);
  ~GalleryEmbedder();
  GalleryEmbedder(const GalleryEmbedder&) = delete;
  GalleryEmbedder& operator=(const GalleryEmbedder&) = delete;

  // Items that cannot show `options.modality` (a text view needs a title, an
  // image view a readable image) are left out and counted in `skipped`.
  // Throws Cancelled, or moon::Error for a batch the model rejects.
  EmbeddedItems embed(MoonModelImpl& model, const std::vector<Product>& items, const EmbedOptions& options) const;

  std::size_t batchSize() const;
  int64_t unreadableImages() const;

 private:
  std::unique_ptr<ProductBatchBuilder> builder_;
  LoaderConfig loader_;
  BpeTokenizer tokenizer_;
};

// Triplet queries as items, so the embedder can show them: id "<prefix><n>"
// (n = index in `triplets`), the query's title and image, and its labelled
// attributes as both image and text attributes (the query's attributes are
// already what its modalities show, so every view's target trace is them).
std::vector<Product> queryItems(const std::vector<Triplet>& triplets, const std::string& prefix = "query:");

// Products named by `triplets` (positives and negatives), each once, in order
// of first mention; ids the catalogue lacks are left out.
std::vector<Product> productsOf(const std::vector<Triplet>& triplets, const std::vector<Product>& catalogue);

}  // namespace moon
