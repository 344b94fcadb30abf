#pragma once

// The synthetic triplet batch of the training benchmarks. The Python peer
// (python/train_step.py) builds the same shapes from the same recipe, so both
// sides run the same sequence layout: query row b is text (b%3==0), image
// (b%3==1) or multimodal (b%3==2) with a title of 12 + b%5 tokens and a trace of
// traceLen - b%9 tokens; candidates are multimodal with 12 + (b+1)%5 title tokens.

#include <torch/torch.h>

#include "model/config/ModelConfig.h"
#include "model/input/ProductBatch.h"

namespace moon::bench {

inline ProductBatch syntheticProducts(const ModelConfig& cfg, int64_t B, int shift, bool candidates, int64_t traceLen) {
  const int64_t S = cfg.vision.image_size, V = cfg.language.vocab_size;
  ProductBatch p;
  p.images = torch::rand({B, 3, S, S}) * 2 - 1;
  p.hasImage = torch::zeros({B}, torch::kBool);
  p.titleLengths = torch::zeros({B}, torch::kLong);
  p.traceLengths = torch::zeros({B}, torch::kLong);
  const int64_t Lt = 16, Lr = std::max<int64_t>(traceLen, 1);
  p.titleIds = torch::randint(10, V, {B, Lt}, torch::kLong);
  p.traceIds = torch::randint(10, V, {B, Lr}, torch::kLong);
  for (int64_t b = 0; b < B; ++b) {
    const int m = candidates ? 2 : static_cast<int>(b % 3);
    const bool image = m != 0, text = m != 1;
    p.hasImage[b] = image;
    if (!image) p.images[b].zero_();
    p.titleLengths[b] = text ? 12 + (b + shift) % 5 : 0;
    p.traceLengths[b] = candidates ? 0 : std::max<int64_t>(traceLen - b % 9, 0);
    p.ids.push_back("p" + std::to_string(b));
  }
  return p;
}

inline TripletBatch syntheticTriplets(const ModelConfig& cfg, int64_t B, int64_t traceLen) {
  torch::manual_seed(1234);
  TripletBatch t;
  t.query = syntheticProducts(cfg, B, 0, false, traceLen);
  t.positive = syntheticProducts(cfg, B, 1, true, traceLen);
  t.negative = syntheticProducts(cfg, B, 1, true, traceLen);
  // Candidates keep their target traces in the tensors (the loss strips them).
  t.positive.traceLengths = torch::full({B}, traceLen, torch::kLong);
  t.negative.traceLengths = torch::full({B}, traceLen, torch::kLong);
  t.queryModality = torch::arange(B, torch::kLong) % 3;
  return t;
}

}  // namespace moon::bench
