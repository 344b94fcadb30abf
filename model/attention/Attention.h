#pragma once

// The one attention function of the project (DESIGN.md §7): every attention
// layer — ViT, decoder, modality fusion — calls it. On a LibTorch that has
// scaled_dot_product_attention it uses the fused kernel when no weights are
// requested; LibTorch 1.13 (Debian) runs the plain implementation.

#include <torch/torch.h>

namespace moon {

struct AttentionOutput {
  torch::Tensor output;   // [B,H,Lq,D]
  torch::Tensor weights;  // [B,H,Lq,Lk] softmax probabilities; undefined unless requested
};

// q [B,H,Lq,D]; k, v [B,Hkv,Lk,D] with H a multiple of Hkv (grouped-query:
// head h reads key/value head h / (H / Hkv)). `mask` is additive, broadcastable
// to [B,H,Lq,Lk], or undefined. Scale 1/sqrt(D).
// `sink` [H] (optional): a learned logit per query head for "attend to
// nothing" — a key whose value is zero — so a head that has nothing to read
// need not park its attention on real tokens (which then grow into constant,
// huge-norm "sink" tokens and stop carrying content). With it the weights of
// a row sum to less than 1.
AttentionOutput attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                          const torch::Tensor& mask, bool needWeights, const torch::Tensor& sink = {});

// 0 where `allowed` is true, the lowest finite value of `dtype` elsewhere. A
// finite value keeps fully masked rows (padding queries) free of NaN.
torch::Tensor additiveMask(const torch::Tensor& allowed, torch::ScalarType dtype);

}  // namespace moon
