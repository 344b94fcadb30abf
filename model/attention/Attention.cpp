#include "model/attention/Attention.h"

#include <cmath>
#include <limits>

#include <torch/version.h>

namespace moon {
namespace {

AttentionOutput plainAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                               const torch::Tensor& mask, bool needWeights, const torch::Tensor& sink) {
  const int64_t B = q.size(0), H = q.size(1), Lq = q.size(2), D = q.size(3);
  const int64_t Hkv = k.size(1), Lk = k.size(2), group = H / Hkv;
  // Grouped-query without copying keys or values: the `group` query heads that
  // share a key/value head are folded into the query rows, [B,Hkv,group*Lq,D]
  // x [B,Hkv,D,Lk], so no operand is broadcast (a broadcast batch dimension
  // makes matmul expand and copy the whole cache at every decoding step). The
  // scale goes on q (Lq x D) rather than on the scores (Lq x Lk).
  const auto qg = (q * (1.0 / std::sqrt(static_cast<double>(D)))).reshape({B, Hkv, group * Lq, D});
  auto scores = torch::matmul(qg, k.transpose(-1, -2)).view({B, Hkv, group, Lq, Lk});
  if (mask.defined()) {
    auto m = mask;
    while (m.dim() < 4) m = m.unsqueeze(0);
    // [b,h,Lq,Lk] with h in {1,H} -> [b,Hkv or 1,group or 1,Lq,Lk]
    m = m.size(1) == 1 ? m.unsqueeze(2) : m.reshape({m.size(0), Hkv, group, m.size(2), m.size(3)});
    scores = scores + m;
  }
  torch::Tensor weights;
  if (sink.defined()) {
    // The sink joins the softmax as one more column, then is dropped (its value is zero).
    const auto column = sink.view({1, Hkv, group, 1, 1}).to(scores.scalar_type()).expand({B, Hkv, group, Lq, 1});
    weights = torch::softmax(torch::cat({scores, column}, -1), -1).narrow(-1, 0, Lk);
  } else {
    weights = torch::softmax(scores, -1);
  }
  auto out = torch::matmul(weights.view({B, Hkv, group * Lq, Lk}), v).reshape({B, H, Lq, D});
  AttentionOutput result{out, {}};
  if (needWeights) result.weights = weights.reshape({B, H, Lq, Lk});
  return result;
}

}  // namespace

AttentionOutput attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                          const torch::Tensor& mask, bool needWeights, const torch::Tensor& sink) {
  TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4, "attention expects [B,H,L,D] tensors");
  TORCH_CHECK(q.size(1) % k.size(1) == 0, "query heads must be a multiple of key/value heads");
#if TORCH_VERSION_MAJOR >= 2
  // The one place that depends on the LibTorch version: fused kernels
  // (flash / memory-efficient) when nobody needs the weights.
  if (!needWeights && !sink.defined()) {
    const int64_t group = q.size(1) / k.size(1);
    const auto kk = group == 1 ? k : k.repeat_interleave(group, 1);
    const auto vv = group == 1 ? v : v.repeat_interleave(group, 1);
    c10::optional<torch::Tensor> m;
    if (mask.defined()) m = mask;
    return {at::scaled_dot_product_attention(q, kk, vv, m), {}};
  }
#endif
  return plainAttention(q, k, v, mask, needWeights, sink);
}

torch::Tensor additiveMask(const torch::Tensor& allowed, torch::ScalarType dtype) {
  double lowest = std::numeric_limits<float>::lowest();
  if (dtype == torch::kHalf) lowest = -65504.0;
  if (dtype == torch::kBFloat16) lowest = -3.38e38;  // largest bf16 magnitude below float's
  auto zeros = torch::zeros({}, allowed.options().dtype(dtype));
  return torch::where(allowed, zeros, torch::full({}, lowest, allowed.options().dtype(dtype)));
}

}  // namespace moon
