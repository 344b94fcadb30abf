#pragma once

#include <torch/torch.h>

namespace moon {

// Qwen2 feed-forward: down(silu(gate(x)) * up(x)), no biases.
class SwiGLUImpl : public torch::nn::Module {
 public:
  SwiGLUImpl(int64_t dim, int64_t hidden);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Linear gate_{nullptr}, up_{nullptr}, down_{nullptr};
};
TORCH_MODULE(SwiGLU);

}  // namespace moon
