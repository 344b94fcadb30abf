#include "model/language/CopyHead.h"

#include <cmath>

#include "model/runtime/AutocastOff.h"

namespace moon {

CopyHeadImpl::CopyHeadImpl(int64_t dim, int64_t vocab) : vocab_(vocab), keyDim_(std::max<int64_t>(16, dim / 4)) {
  query_ = register_module("query", torch::nn::Linear(torch::nn::LinearOptions(dim, keyDim_).bias(false)));
  key_ = register_module("key", torch::nn::Linear(torch::nn::LinearOptions(dim, keyDim_).bias(false)));
  gate_ = register_module("gate", torch::nn::Linear(dim, 1));
}

torch::Tensor CopyHeadImpl::keys(const torch::Tensor& states) {
  AutocastOff fullPrecision;
  return key_(states.to(key_->weight.scalar_type()));
}

torch::Tensor CopyHeadImpl::forward(const torch::Tensor& hidden, const torch::Tensor& logits, const CopySource& source,
                                    torch::Tensor* copied) {
  // The mixture is a sum of probabilities: in bf16 the small ones vanish.
  AutocastOff fullPrecision;
  const bool single = hidden.dim() == 2;
  const auto dtype = query_->weight.scalar_type();
  const auto h = (single ? hidden.unsqueeze(1) : hidden).to(dtype);  // [B,T,D]
  const auto vocabLogProbs = torch::log_softmax((single ? logits.unsqueeze(1) : logits).to(torch::kFloat), -1);
  const int64_t B = h.size(0), T = h.size(1);

  const auto mask = source.mask.to(torch::kBool);  // [B,S]
  const auto hasSource = mask.any(1).view({B, 1, 1});
  auto scores = torch::matmul(query_(h), source.keys.transpose(1, 2)) / std::sqrt(double(keyDim_));
  // A finite fill, not -inf: a row without a title would otherwise give NaN
  // gradients (its pointer is switched off through the gate below).
  scores = scores.to(torch::kFloat).masked_fill(~mask.unsqueeze(1), -1e4);
  const auto pointer = torch::softmax(scores, -1) * mask.unsqueeze(1).to(torch::kFloat);  // [B,T,S]
  const auto copyProbs = torch::zeros({B, T, vocab_}, pointer.options())
                             .scatter_add(2, source.ids.to(torch::kLong).unsqueeze(1).expand({B, T, -1}), pointer);

  const auto g =
      torch::where(hasSource, torch::sigmoid(gate_(h).to(torch::kFloat)), torch::ones({1}, pointer.options()));
  const auto fromTitle = (1 - g) * copyProbs;
  const auto mixed = g * vocabLogProbs.exp() + fromTitle;
  if (copied) *copied = single ? fromTitle.squeeze(1) : fromTitle;
  // The floor keeps log finite (and its gradient bounded) for a token neither
  // side gives any mass.
  const auto out = (mixed + 1e-9).log();
  return single ? out.squeeze(1) : out;
}

}  // namespace moon
