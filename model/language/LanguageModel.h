#pragma once

// The Qwen2-family decoder: token embeddings, pre-norm blocks, final RMSNorm
// and the output projection (tied to the embeddings by default).

#include <vector>

#include <torch/torch.h>

#include "model/config/ModelConfig.h"
#include "model/language/DecoderLayer.h"
#include "model/layers/RMSNorm.h"

namespace moon {

class KVCache;

struct LanguageOutput {
  torch::Tensor hidden;                  // [B,L,D] after the final norm
  std::vector<torch::Tensor> attention;  // per layer [B,H,L,Lk] when requested
};

class LanguageModelImpl : public torch::nn::Module {
 public:
  explicit LanguageModelImpl(const LanguageConfig& cfg);

  torch::Tensor embed(const torch::Tensor& ids);  // [B,L] -> [B,L,D]
  // Root mean square of the token embeddings (a scalar, no gradient): the
  // scale image tokens are brought to (vision.feature_norm).
  torch::Tensor embeddingRms();

  // inputs [B,L,D]; positions [B,L]; allowed [B,1,L,Lk] bool. `injections`
  // (empty, or one per layer, undefined = none) are added to the residual
  // stream just before their layer (FIRE). With a cache the call is one
  // generation step (KVCache::begin done by the caller).
  LanguageOutput forward(const torch::Tensor& inputs, const torch::Tensor& positions, const torch::Tensor& allowed,
                         KVCache* cache = nullptr, const std::vector<torch::Tensor>& injections = {},
                         bool needWeights = false);

  torch::Tensor logits(const torch::Tensor& hidden);  // [...,D] -> [...,V]

  const LanguageConfig& config() const { return cfg_; }
  int64_t headDim() const { return cfg_.dim / cfg_.heads; }

 private:
  LanguageConfig cfg_;
  torch::nn::Embedding embed_{nullptr};
  RMSNorm inputNorm_{nullptr};
  torch::nn::ModuleList layers_;
  std::vector<DecoderLayer> layerList_;
  RMSNorm norm_{nullptr};
  torch::nn::Linear head_{nullptr};  // only when embeddings are not tied
};
TORCH_MODULE(LanguageModel);

}  // namespace moon
