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
  if (cfg.attention_sink) sink_ = register_parameter("sink", torch::zeros({heads_}));
}

AttentionOutput DecoderAttentionImpl::forward(const torch::Tensor& x, const RotaryAngles& angles,
                                              const torch::Tensor& mask, KVCache* cache, int64_t layer,
                                              bool needWeights) {
  const int64_t B = x.size(0), L = x.size(1);
  const int64_t qDim = heads_ * headDim_, kvDim = kvHeads_ * headDim_;
  torch::Tensor q, k, v;
  if (torch::GradMode::is_enabled()) {
    // Training: one GEMM for q, k and v instead of three (same math; the
    // weights stay three parameters so checkpoints keep their names). Small
    // widths make the step overhead-bound, so fewer, larger kernels pay
    // (bench_train, PERFORMANCE.md).
    const auto qkv =
        torch::linear(x, torch::cat({q_->weight, k_->weight, v_->weight}), torch::cat({q_->bias, k_->bias, v_->bias}));
    q = qkv.narrow(-1, 0, qDim);
    k = qkv.narrow(-1, qDim, kvDim);
    v = qkv.narrow(-1, qDim + kvDim, kvDim);
  } else {
    // Inference: a decoding step has a few rows, so copying the weights into
    // one operand would cost as much as the GEMMs (bench_generation).
    q = q_(x);
    k = k_(x);
    v = v_(x);
  }
  q = q.reshape({B, L, heads_, headDim_}).transpose(1, 2);
  k = k.reshape({B, L, kvHeads_, headDim_}).transpose(1, 2);
  v = v.reshape({B, L, kvHeads_, headDim_}).transpose(1, 2);
  q = applyRotary(q, angles);
  k = applyRotary(k, angles);
  if (cache) std::tie(k, v) = cache->append(layer, k, v);
  auto result = attention(q, k, v, mask, needWeights, sink_);
  result.output = o_(result.output.transpose(1, 2).reshape({B, L, heads_ * headDim_}));
  return result;
}

}  // namespace moon
