#pragma once

// Keys and values of every decoder layer for one generation run. Storage is
// allocated once for `capacity` columns; each step writes its new columns in
// place, so a step costs O(new tokens) copies. Padding (left-padded prompts,
// rows that already stopped) is tracked per column and masked as keys.
// Used under torch::NoGradGuard.

#include <utility>
#include <vector>

#include <torch/torch.h>

namespace moon {

class KVCache {
 public:
  KVCache(int64_t layers, int64_t batch, int64_t kvHeads, int64_t headDim, int64_t capacity,
          const torch::TensorOptions& options);

  struct Step {
    torch::Tensor positions;  // [B,n] rotary positions of the new tokens
    torch::Tensor allowed;    // [B,1,n,length+n] bool: causal and key-valid
  };
  // Starts a step of n = valid.size(1) new columns (valid [B,n] bool).
  Step begin(const torch::Tensor& valid);
  // Stores layer `layer`'s keys/values [B,Hkv,n,D] of the current step and
  // returns all keys/values so far [B,Hkv,length+n,D].
  std::pair<torch::Tensor, torch::Tensor> append(int64_t layer, const torch::Tensor& k, const torch::Tensor& v);
  // Ends the step: the new columns become part of the cache.
  void commit();

  int64_t length() const { return length_; }
  int64_t capacity() const { return capacity_; }

 private:
  std::vector<torch::Tensor> keys_, values_;  // [B,Hkv,capacity,D] per layer
  torch::Tensor valid_;                       // [B,capacity] bool
  torch::Tensor count_;                       // [B] int64 valid columns so far
  int64_t length_ = 0;
  int64_t pending_ = 0;
  int64_t capacity_;
};

// Rotary positions of a left- or right-padded row: the index among its valid
// tokens, counted from `start` ([B] int64, or undefined for 0).
torch::Tensor positionsFromValid(const torch::Tensor& valid, const torch::Tensor& start = {});

// [B,1,Lq,Lk] bool: query i (absolute column queryStart + i) may read key j
// when j <= queryStart + i and key j is valid (keyValid [B,Lk]).
torch::Tensor causalAllowed(const torch::Tensor& keyValid, int64_t queryStart, int64_t queries);

}  // namespace moon
