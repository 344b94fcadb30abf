#pragma once

#include <torch/torch.h>

#include "model/attention/Attention.h"
#include "model/language/DecoderAttention.h"
#include "model/layers/RMSNorm.h"
#include "model/layers/SwiGLU.h"

namespace moon {

// Pre-norm Qwen2 block: h += attn(norm(h)); h += mlp(norm(h)).
class DecoderLayerImpl : public torch::nn::Module {
 public:
  explicit DecoderLayerImpl(const LanguageConfig& cfg);
  // Returns the new hidden state in `output` and the attention weights when asked.
  AttentionOutput forward(const torch::Tensor& h, const RotaryAngles& angles, const torch::Tensor& mask, KVCache* cache,
                          int64_t layer, bool needWeights);

 private:
  RMSNorm attnNorm_{nullptr}, mlpNorm_{nullptr};
  DecoderAttention attn_{nullptr};
  SwiGLU mlp_{nullptr};
};
TORCH_MODULE(DecoderLayer);

}  // namespace moon
