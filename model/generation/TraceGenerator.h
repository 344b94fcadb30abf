#pragma once

// Batched generation of reasoning traces with the KV cache: one decoder pass
// over the (left-padded) prompts, then one single-token step per new token.
// Each row stops at </think> or after `maxTokens` trace tokens; a row whose
// next token after the last allowed one is not </think> is left unclosed.
// Runs without gradient. Embedding after the trace: model->forward(withTraces(batch, result)).

#include <torch/torch.h>

#include "model/MoonModel.h"
#include "model/generation/TokenSampler.h"

namespace moon {

struct GenerationOptions {
  SamplingOptions sampling;   // greedy by default
  int maxTokens = 0;          // trace tokens; 0 = ModelConfig::max_trace_tokens, which is also the maximum
  int64_t vocabLimit = 0;     // > 0: ids >= vocabLimit are never generated (the tokenizer's size)
  bool returnLogits = false;  // keep every step's raw logits
};

struct GenerationResult {
  torch::Tensor tokens;   // [B,T] int64 trace tokens (no </think>), <pad> after lengths[b]; T = max length
  torch::Tensor lengths;  // [B] int64
  torch::Tensor closed;   // [B] bool: the row ended with </think>
  // Log-probability under the model's raw distribution (temperature 1, no
  // truncation: what a teacher-forced forward gives) of each trace token, then
  // of </think> at column lengths[b] when closed; 0 elsewhere (see logProbMask).
  torch::Tensor logProbs;     // [B,T+1]
  torch::Tensor logProbMask;  // [B,T+1] bool
  torch::Tensor logits;       // [B,S,V] raw logits of every step (S = steps run) when returnLogits
  // With a copy head: the share of each trace token's probability that the
  // head copied from the prompt's title, in [0, 1] ([B,T] float, 0 after
  // lengths[b]); undefined without one.
  torch::Tensor copyShare;
};

// Tensors are returned on the model's device. Throws moon::Error if the model
// has reasoning off or the options are invalid.
GenerationResult generateTraces(MoonModelImpl& model, const ProductBatch& batch, const GenerationOptions& options);

// `batch` with its target traces replaced by the generated ones.
ProductBatch withTraces(const ProductBatch& batch, const GenerationResult& traces);

}  // namespace moon
