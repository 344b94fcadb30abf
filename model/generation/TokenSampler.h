#pragma once

// Chooses the next trace token of every row: greedy, or sampling with a
// temperature and nucleus (top-p) truncation from a seeded generator, so a
// run is reproducible. Sampling happens on the CPU (the vocabulary row is
// small) so a seed gives the same tokens on every device.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

namespace moon {

struct SamplingOptions {
  bool greedy = true;
  double temperature = 1.0;  // > 0; only for sampling
  double topP = 1.0;         // (0, 1]; 1 = no truncation
  uint64_t seed = 0;
};

class TokenSampler {
 public:
  // `banned` token ids never get chosen (special tokens other than </think>,
  // vocabulary rows beyond the tokenizer). Throws moon::Error on bad options.
  TokenSampler(const SamplingOptions& options, std::vector<int64_t> banned);
  // logits [B,V] -> [B] int64 on the logits' device.
  torch::Tensor choose(const torch::Tensor& logits);

 private:
  SamplingOptions options_;
  std::vector<int64_t> banned_;
  torch::Tensor bannedIndex_;
  at::Generator generator_;
};

}  // namespace moon
