#include "model/layers/SwiGLU.h"

namespace moon {

SwiGLUImpl::SwiGLUImpl(int64_t dim, int64_t hidden) {
  gate_ = register_module("gate", torch::nn::Linear(torch::nn::LinearOptions(dim, hidden).bias(false)));
  up_ = register_module("up", torch::nn::Linear(torch::nn::LinearOptions(dim, hidden).bias(false)));
  down_ = register_module("down", torch::nn::Linear(torch::nn::LinearOptions(hidden, dim).bias(false)));
}

torch::Tensor SwiGLUImpl::forward(const torch::Tensor& x) { return down_(torch::silu(gate_(x)) * up_(x)); }

}  // namespace moon
