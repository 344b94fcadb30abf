#pragma once

// The MOON3.0-style network (DESIGN.md §1): ViT + 2x2 merger, a Qwen2-family
// decoder that thinks before it embeds, multi-head modality fusion (MMF) and
// fine-grained residual enhancement (FIRE), each switchable in ModelConfig.
//
//   MoonModel model(modelPreset("micro"));
//   model->to(device);
//   ModelOutput out = model->forward(batch);          // teacher-forced
//   GenerationResult g = generateTraces(*model, batch, opts);  // model/generation
//
// forward() takes a ProductBatch on any device and moves it to the model's.

#include <vector>

#include <torch/torch.h>

#include "model/config/ModelConfig.h"
#include "model/config/SpecialTokenIds.h"
#include "model/fusion/Fire.h"
#include "model/fusion/ModalityFusion.h"
#include "model/input/ProductBatch.h"
#include "model/language/CopyHead.h"
#include "model/language/LanguageModel.h"
#include "model/sequence/SequenceLayout.h"
#include "model/vision/PatchMerger.h"
#include "model/vision/VisionEncoder.h"

namespace moon {

struct ForwardOptions {
  bool attention = false;   // return every layer's attention weights
  bool traceLogits = true;  // compute the trace logits (skip for embedding-only passes)
};

struct ModelOutput {
  torch::Tensor embedding;      // [B,E] L2-normalised product embedding at <emb>
  torch::Tensor discEmbedding;  // [B,E] L2-normalised no-reasoning embedding at <disc_emb>; undefined if off
  torch::Tensor embState;       // [B,D] last-layer (normed) state at <emb>, before fusion
  // Next-token prediction over the think block: column j predicts trace token j
  // for j < traceLengths[b] and </think> at j == traceLengths[b]. Undefined with
  // reasoning off or ForwardOptions::traceLogits false.
  torch::Tensor traceLogits;             // [B,Lr+1,V]
  torch::Tensor traceTargets;            // [B,Lr+1] int64 (<pad> where traceMask is false)
  torch::Tensor traceMask;               // [B,Lr+1] bool
  torch::Tensor gates;                   // [B,3,H] MMF head weights (image, title, reasoning); undefined if MMF off
  std::vector<torch::Tensor> attention;  // per decoder layer [B,H,L,L] when requested
  SequenceLayout layout;                 // columns of the sequence (to read `attention`)
};

// The prompt side of a batch, ready for the decoder.
struct EncodedInputs {
  torch::Tensor embeds;                   // [B,L,D] token embeddings, merger output at <img_pad> columns
  std::vector<torch::Tensor> injections;  // FIRE: per decoder layer [B,L,D] or undefined
  torch::Tensor imageTokens;              // [B,P,D] merger output (zeros for rows without an image)
  torch::Tensor imageMask;                // [B,P] bool
};

class MoonModelImpl : public torch::nn::Module {
 public:
  explicit MoonModelImpl(const ModelConfig& cfg, const SpecialTokenIds& special = {});

  ModelOutput forward(const ProductBatch& batch, const ForwardOptions& options = {});

  // Building blocks for generation (model/generation) and tests.
  SequenceLayout layout(const ProductBatch& batch, SequenceMode mode);
  EncodedInputs encode(const ProductBatch& batch, const SequenceLayout& layout);
  // Final embedding from the <emb> state and the fusion token sets.
  torch::Tensor embed(const torch::Tensor& embState, const EncodedInputs& inputs, const ProductBatch& batch,
                      const torch::Tensor& reasoningStates, const torch::Tensor& reasoningMask, torch::Tensor* gates);

  // Next-token scores of the trace at decoder states `hidden` ([B,T,D] or
  // [B,D]): the LM head's logits, or with language.copy_head its
  // log-probabilities mixed with copying from `source` (copySource()).
  // `copied` (optional) receives the copied probability mass per token
  // (CopyHeadImpl::forward); it stays undefined without a copy head.
  torch::Tensor traceScores(const torch::Tensor& hidden, const CopySource& source, torch::Tensor* copied = nullptr);
  // What the copy head points at: the title columns of a prompt's final
  // decoder states `promptHidden` [B,Lp,D] (the first Lp columns of
  // `layout`), keyed once. Undefined tensors without a copy head.
  CopySource copySource(const torch::Tensor& promptHidden, const SequenceLayout& layout);

  const ModelConfig& config() const { return cfg_; }
  const SpecialTokenIds& specialTokens() const { return special_; }
  torch::Device device() const;
  torch::ScalarType dtype() const;

  LanguageModel& language() { return language_; }
  VisionEncoder& vision() { return vision_; }
  Fire& fire() { return fire_; }                // empty holder when FIRE is off
  ModalityFusion& fusion() { return fusion_; }  // empty holder when MMF is off

 private:
  ModelConfig cfg_;
  SpecialTokenIds special_;
  VisionEncoder vision_{nullptr};
  PatchMerger merger_{nullptr};
  LanguageModel language_{nullptr};
  Fire fire_{nullptr};
  ModalityFusion fusion_{nullptr};
  CopyHead copy_{nullptr};
  torch::nn::Linear embedHead_{nullptr}, discHead_{nullptr};
};
TORCH_MODULE(MoonModel);

// Rows of `hidden` [B,L,D] at one column per row (columns [B]) -> [B,D].
torch::Tensor gatherColumns(const torch::Tensor& hidden, const torch::Tensor& columns);

// An independent copy (same config, special tokens, weights, device and
// dtype), e.g. the frozen reference policy of GRPO.
MoonModel cloneModel(MoonModelImpl& model);

}  // namespace moon
