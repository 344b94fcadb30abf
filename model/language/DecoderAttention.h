#pragma once

#include <torch/torch.h>

#include "model/attention/Attention.h"
#include "model/config/ModelConfig.h"
#include "model/layers/Rotary.h"

namespace moon {

class KVCache;

// Qwen2 self-attention: biased q/k/v projections, rotary positions,
// grouped-query heads, unbiased output projection.
class DecoderAttentionImpl : public torch::nn::Module {
 public:
  explicit DecoderAttentionImpl(const LanguageConfig& cfg);

  // x [B,L,D]; mask additive [B,1,L,Lk]. With a cache, keys/values of this
  // call are appended to layer `layer` and attention reads the whole cache.
  AttentionOutput forward(const torch::Tensor& x, const RotaryAngles& angles, const torch::Tensor& mask, KVCache* cache,
                          int64_t layer, bool needWeights);

 private:
  int64_t heads_, kvHeads_, headDim_;
  torch::nn::Linear q_{nullptr}, k_{nullptr}, v_{nullptr}, o_{nullptr};
  torch::Tensor sink_;  // [heads] language.attention_sink; undefined when off
};
TORCH_MODULE(DecoderAttention);

}  // namespace moon
