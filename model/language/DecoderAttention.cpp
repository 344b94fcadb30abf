#include "model/language/DecoderAttention.h"

#include "model/attention/KVCache.h"

namespace moon {

DecoderAttentionImpl::DecoderAttentionImpl(const LanguageConfig& cfg)
    : heads_(cfg.heads), kvHeads_(cfg.kv_heads), headDim_(cfg.dim / cfg.heads) {
  using torch::nn::LinearOptions;
  q_ = register_module("q", torch::nn::Linear(LinearOptions(cfg.dim, heads_ * headDim_).bias(true)));
  k_ = register_module("k", torch::nn::Linear(LinearOptions(cfg.dim, kvHeads_ * headDim_).bias(true)));
  v_ = register_module("v", torch::nn::Linear(LinearOptions(cfg.dim, kvHeads_ * headDim_).bias(true)));
  o_ = register_module("o", torch::nn::Linear(LinearOptions(heads_ * headDim_, cfg.dim).bias(false)));
}

AttentionOutput DecoderAttentionImpl::forward(const torch::Tensor& x, const RotaryAngles& angles,
                                              const torch::Tensor& mask, KVCache* cache, int64_t layer,
                                              bool needWeights) {
  const int64_t B = x.size(0), L = x.size(1);
  auto q = q_(x).view({B, L, heads_, headDim_}).transpose(1, 2);
  auto k = k_(x).view({B, L, kvHeads_, headDim_}).transpose(1, 2);
  auto v = v_(x).view({B, L, kvHeads_, headDim_}).transpose(1, 2);
  q = applyRotary(q, angles);
  k = applyRotary(k, angles);
  if (cache) std::tie(k, v) = cache->append(layer, k, v);
  auto result = attention(q, k, v, mask, needWeights);
  result.output = o_(result.output.transpose(1, 2).reshape({B, L, heads_ * headDim_}));
  return result;
}

}  // namespace moon
