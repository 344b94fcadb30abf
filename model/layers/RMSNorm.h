#pragma once

#include <torch/torch.h>

namespace moon {

// Root-mean-square layer norm with a learned scale (Qwen2). Computed in
// float32 (or wider) and cast back, as the reference implementations do.
class RMSNormImpl : public torch::nn::Module {
 public:
  RMSNormImpl(int64_t dim, double eps);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight;

 private:
  double eps_;
};
TORCH_MODULE(RMSNorm);

}  // namespace moon
