#include "model/vision/VisionBlock.h"

#include "model/attention/Attention.h"

namespace moon {

VisionBlockImpl::VisionBlockImpl(const VisionConfig& cfg) : heads_(cfg.heads) {
  using torch::nn::LayerNormOptions;
  norm1_ = register_module("norm1", torch::nn::LayerNorm(LayerNormOptions({cfg.dim}).eps(1e-6)));
  qkv_ = register_module("qkv", torch::nn::Linear(cfg.dim, 3 * cfg.dim));
  proj_ = register_module("proj", torch::nn::Linear(cfg.dim, cfg.dim));
  norm2_ = register_module("norm2", torch::nn::LayerNorm(LayerNormOptions({cfg.dim}).eps(1e-6)));
  fc1_ = register_module("fc1", torch::nn::Linear(cfg.dim, cfg.mlp_dim));
  fc2_ = register_module("fc2", torch::nn::Linear(cfg.mlp_dim, cfg.dim));
}

torch::Tensor VisionBlockImpl::forward(const torch::Tensor& x) {
  const int64_t N = x.size(0), T = x.size(1), C = x.size(2), D = C / heads_;
  const auto qkv = qkv_(norm1_(x)).view({N, T, 3, heads_, D}).permute({2, 0, 3, 1, 4});  // [3,N,H,T,D]
  const auto a = attention(qkv[0], qkv[1], qkv[2], {}, false).output;
  auto out = x + proj_(a.transpose(1, 2).reshape({N, T, C}));
  return out + fc2_(torch::gelu(fc1_(norm2_(out))));
}

}  // namespace moon
