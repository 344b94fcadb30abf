#include "model/attention/KVCache.h"

namespace moon {

KVCache::KVCache(int64_t layers, int64_t batch, int64_t kvHeads, int64_t headDim, int64_t capacity,
                 const torch::TensorOptions& options)
    : capacity_(capacity) {
  for (int64_t l = 0; l < layers; ++l) {
    keys_.push_back(torch::zeros({batch, kvHeads, capacity, headDim}, options));
    values_.push_back(torch::zeros({batch, kvHeads, capacity, headDim}, options));
  }
  valid_ = torch::zeros({batch, capacity}, options.dtype(torch::kBool));
  count_ = torch::zeros({batch}, options.dtype(torch::kLong));
}

KVCache::Step KVCache::begin(const torch::Tensor& valid) {
  const int64_t n = valid.size(1);
  TORCH_CHECK(length_ + n <= capacity_, "KV cache overflow: ", length_ + n, " > ", capacity_);
  pending_ = n;
  valid_.narrow(1, length_, n).copy_(valid);
  Step step;
  step.positions = positionsFromValid(valid, count_);
  step.allowed = causalAllowed(valid_.narrow(1, 0, length_ + n), length_, n);
  return step;
}

std::pair<torch::Tensor, torch::Tensor> KVCache::append(int64_t layer, const torch::Tensor& k, const torch::Tensor& v) {
  keys_[layer].narrow(2, length_, pending_).copy_(k);
  values_[layer].narrow(2, length_, pending_).copy_(v);
  return {keys_[layer].narrow(2, 0, length_ + pending_), values_[layer].narrow(2, 0, length_ + pending_)};
}

void KVCache::commit() {
  count_ += valid_.narrow(1, length_, pending_).sum(1);
  length_ += pending_;
  pending_ = 0;
}

torch::Tensor positionsFromValid(const torch::Tensor& valid, const torch::Tensor& start) {
  auto pos = valid.to(torch::kLong).cumsum(1) - 1;
  if (start.defined()) pos = pos + start.unsqueeze(1);
  return pos.clamp_min(0);
}

torch::Tensor causalAllowed(const torch::Tensor& keyValid, int64_t queryStart, int64_t queries) {
  const int64_t keys = keyValid.size(1);
  const auto opts = torch::TensorOptions().dtype(torch::kLong).device(keyValid.device());
  const auto q = torch::arange(queryStart, queryStart + queries, opts).unsqueeze(1);  // [Lq,1]
  const auto k = torch::arange(0, keys, opts).unsqueeze(0);                           // [1,Lk]
  const auto causal = k <= q;                                                         // [Lq,Lk]
  return causal.unsqueeze(0).unsqueeze(0) & keyValid.unsqueeze(1).unsqueeze(1);
}

}  // namespace moon
