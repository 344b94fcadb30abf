#pragma once

// Copying title tokens into the trace: a pointer-generator head (See et al.,
// "Get To The Point", 2017) on top of the decoder's LM head. Most trace values
// ("brand: brisa", "material: suede") are words of the title. A pretrained LLM
// copies them with induction heads; a decoder trained from scratch on a few
// thousand traces learns which keys a title mentions but not to copy their
// values (README "Training recipe"). The head points from the predicting
// state into the prompt's title columns and mixes that distribution into the
// vocabulary's:
//   p(w) = g * softmax(logits)(w) + (1 - g) * sum_{c : id_c = w} attention(c)
// with g = sigmoid(gate(h)) per position (g = 1 for a row without a title).
// The result is returned as log-probabilities, so every consumer of trace
// logits (cross-entropy, sampling, GRPO log-probabilities, entropy) reads it
// unchanged.

#include <torch/torch.h>

namespace moon {

// Where the head may copy from: the pointer keys of the prompt's final
// decoder states (CopyHeadImpl::keys, computed once per prompt, not per
// generated token), their token ids and which columns are title tokens.
struct CopySource {
  torch::Tensor keys;  // [B,S,K]
  torch::Tensor ids;   // [B,S] int64
  torch::Tensor mask;  // [B,S] bool, true = may be copied
};

class CopyHeadImpl : public torch::nn::Module {
 public:
  CopyHeadImpl(int64_t dim, int64_t vocab);

  // Pointer keys [B,S,K] of decoder states [B,S,D].
  torch::Tensor keys(const torch::Tensor& states);

  // hidden [B,T,D] or [B,D] predicting states, logits [...,V] of the LM head
  // at those states -> log-probabilities [...,V] in float32. `copied`, when
  // given, receives the copy side of the mixture, (1 - g) * copy(w), as
  // probabilities in the result's shape: what the workbench shows as "this
  // token came from the title".
  torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& logits, const CopySource& source,
                        torch::Tensor* copied = nullptr);

 private:
  int64_t vocab_, keyDim_;
  torch::nn::Linear query_{nullptr}, key_{nullptr}, gate_{nullptr};
};
TORCH_MODULE(CopyHead);

}  // namespace moon
