#pragma once
// A batch of random triplets shaped for a model config: images in [-1, 1],
// 8-token titles and 6-token query traces of random ids (candidates without
// traces), every query multimodal. For tests of losses that need a batch,
// not a catalogue.
#include <torch/torch.h>

#include <string>

#include "model/config/ModelConfig.h"
#include "model/input/ProductBatch.h"

namespace moon::test {

inline TripletBatch randomTriplets(const ModelConfig& cfg, int64_t B, uint64_t seed) {
  torch::manual_seed(seed);
  auto products = [&](bool query) {
    ProductBatch p;
    const int64_t S = cfg.vision.image_size;
    p.images = torch::rand({B, 3, S, S}) * 2 - 1;
    p.hasImage = torch::ones({B}, torch::kBool);
    p.titleIds = torch::randint(10, cfg.language.vocab_size, {B, 8}, torch::kLong);
    p.titleLengths = torch::full({B}, 8, torch::kLong);
    p.traceIds = torch::randint(10, cfg.language.vocab_size, {B, 6}, torch::kLong);
    p.traceLengths = torch::full({B}, query ? 6 : 0, torch::kLong);
    for (int64_t b = 0; b < B; ++b) p.ids.push_back("p" + std::to_string(b));
    return p;
  };
  TripletBatch t;
  t.query = products(true);
  t.positive = products(false);
  t.negative = products(false);
  t.queryModality = torch::full({B}, 2, torch::kLong);
  return t;
}

}  // namespace moon::test
