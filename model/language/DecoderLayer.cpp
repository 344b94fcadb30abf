#include "model/language/DecoderLayer.h"

namespace moon {

DecoderLayerImpl::DecoderLayerImpl(const LanguageConfig& cfg) {
  attnNorm_ = register_module("attn_norm", RMSNorm(cfg.dim, cfg.norm_eps));
  attn_ = register_module("attn", DecoderAttention(cfg));
  mlpNorm_ = register_module("mlp_norm", RMSNorm(cfg.dim, cfg.norm_eps));
  mlp_ = register_module("mlp", SwiGLU(cfg.dim, cfg.ffn_dim));
}

AttentionOutput DecoderLayerImpl::forward(const torch::Tensor& h, const RotaryAngles& angles, const torch::Tensor& mask,
                                          KVCache* cache, int64_t layer, bool needWeights) {
  auto a = attn_(attnNorm_(h), angles, mask, cache, layer, needWeights);
  auto out = h + a.output;
  out = out + mlp_(mlpNorm_(out));
  return {out, a.weights};
}

}  // namespace moon
