#include "model/layers/SwiGLU.h"

namespace moon {

SwiGLUImpl::SwiGLUImpl(int64_t dim, int64_t hidden) {
  gate_ = register_module("gate", torch::nn::Linear(torch::nn::LinearOptions(dim, hidden).bias(false)));
  up_ = register_module("up", torch::nn::Linear(torch::nn::LinearOptions(dim, hidden).bias(false)));
  down_ = register_module("down", torch::nn::Linear(torch::nn::LinearOptions(hidden, dim).bias(false)));
}

torch::Tensor SwiGLUImpl::forward(const torch::Tensor& x) {
  if (!torch::GradMode::is_enabled())
    // Inference: decoding steps have a few rows; concatenating the weights
    // would cost as much as the GEMMs themselves.
    return down_(torch::silu(gate_(x)) * up_(x));
  // Training: gate and up in one GEMM (same math, two parameters kept for checkpoints).
  const auto gateUp = torch::linear(x, torch::cat({gate_->weight, up_->weight})).chunk(2, -1);
  return down_(torch::silu(gateUp[0]) * gateUp[1]);
}

}  // namespace moon
