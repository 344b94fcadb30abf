#pragma once

// What the inference API returns: plain values (no tensors), so results can
// cross from a worker thread to the GUI and be read without LibTorch.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/Product.h"
#include "core/data/TraceFormat.h"

namespace moon {

// Attention of the decoder's think-block tokens over one item's sequence
// (padding removed). Queries: each trace token, then </think>, then <emb>.
// Keys: every token of the item's sequence, in order.
struct AttentionMaps {
  int layers = 0;
  int heads = 0;
  int queries = 0;
  int keys = 0;
  int gridSide = 0;                      // merged patch grid side (0: the view has no image)
  std::vector<std::string> queryLabels;  // [queries]
  std::vector<std::string> keyLabels;    // [keys]
  std::vector<int> imageKeys;            // key index of each merged patch, row-major, gridSide^2 of them
  std::vector<float> weights;            // [layers][heads][queries][keys]; each row sums to 1

  bool empty() const { return weights.empty(); }
  // One full row over all keys.
  std::vector<float> row(int layer, int head, int query) const;
  // The row's image part as a gridSide x gridSide map (row-major); empty without an image.
  std::vector<float> imageMap(int layer, int head, int query) const;
  // Share of the row's attention that lands on image patches.
  float imageShare(int layer, int head, int query) const;
};

struct ViewResult {
  Modality modality = Modality::Multimodal;
  std::vector<int> traceTokens;  // generated trace (no </think>); empty when embedded without reasoning
  std::string traceText;
  bool traceClosed = false;  // the trace ended with </think>
  // Per trace token, the share of its probability the copy head took from the
  // title (0-1); empty for a model without a copy head.
  std::vector<float> traceCopyShare;
  ParsedTrace parsed;                // attributes read from traceText
  std::vector<float> embedding;      // embed_dim, L2-normalised (<emb>)
  std::vector<float> discEmbedding;  // embed_dim, L2-normalised (<disc_emb>); empty when off
  int gateHeads = 0;
  std::vector<float> gates;  // MMF head weights [3][gateHeads]: image, title, reasoning; empty when MMF off
  AttentionMaps attention;   // empty unless requested
};

struct ProductResult {
  std::string id;
  std::vector<ViewResult> views;  // requested views the product has (a text view needs a title, ...)
  const ViewResult* view(Modality m) const {
    for (const auto& v : views)
      if (v.modality == m) return &v;
    return nullptr;
  }
};

// Cosine similarity (0 when either vector is zero).
float cosineSimilarity(const std::vector<float>& a, const std::vector<float>& b);

// One view as JSON, the same keys wherever a view is written (`moon infer
// --json`, the Compare view's export): "modality", "trace", "trace_tokens",
// "trace_closed", "trace_copy_share" (with a copy head), "attributes",
// "parse_problems", "gates" {"image", "title", "reasoning": per head} when
// MMF is on; with `embeddings` also "embedding", and "disc_embedding" +
// "disc_cosine" when the model has <disc_emb>.
nlohmann::json viewResultToJson(const ViewResult& view, bool embeddings);

}  // namespace moon
