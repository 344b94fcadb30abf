#pragma once

// The inference API for the GUI, evaluation and `moon infer` (llama.cpp
// style): an InferenceContext holds the weights in eval mode and is reused;
// each run() takes per-call InferenceOptions. run() works under
// torch::NoGradGuard. The context never changes LibTorch's thread count —
// that is the caller's choice (torch::set_num_threads).
//
//   InferenceContext ctx(model, codec);
//   InferenceOptions opts;
//   opts.views = {Modality::Text, Modality::Image, Modality::Multimodal};
//   opts.attention = true;
//   auto results = ctx.run(batch, opts);   // one ProductResult per row

#include <functional>
#include <string>
#include <vector>

#include "model/MoonModel.h"
#include "model/generation/TraceGenerator.h"
#include "model/inference/InferenceResult.h"

namespace moon {

// The text side of a tokenizer, as far as inference needs it. Every member is
// optional: without decode a trace reads "#12 #40 ...", without encode
// titles must come as ids.
struct TextCodec {
  std::function<std::vector<int64_t>(const std::string&)> encode;  // title text -> ids, no control tokens
  std::function<std::string(const std::vector<int64_t>&)> decode;  // trace ids -> text
  std::function<std::string(int64_t)> tokenText;                   // one token (attention labels)
  int64_t vocabSize = 0;                                           // > 0: ids >= vocabSize are never generated
};

struct InferenceOptions {
  std::vector<Modality> views = {Modality::Multimodal};
  bool reasoning = true;         // generate a trace first; false: empty think block (candidates, LREM)
  GenerationOptions generation;  // greedy by default
  bool attention = false;        // fill ViewResult::attention
};

class InferenceContext {
 public:
  // Shares `model` and switches it to eval mode.
  explicit InferenceContext(MoonModel model, TextCodec codec = {});

  // One ProductResult per batch row, views in the order requested (a view the
  // product cannot show is left out). Throws moon::Error for a bad batch.
  std::vector<ProductResult> run(const ProductBatch& batch, const InferenceOptions& options) const;

  const ModelConfig& config() const { return model_->config(); }
  MoonModel model() const { return model_; }
  const TextCodec& codec() const { return codec_; }
  std::string tokenLabel(int64_t id) const;  // special tokens by name, others via the codec

 private:
  MoonModel model_;
  TextCodec codec_;
};

}  // namespace moon
