#pragma once

// Shared helpers for the model tests: micro configs, random product batches
// of any modality mix, and tensor comparison by relative error.

#include <torch/torch.h>

#include <vector>

#include "model/MoonModel.h"
#include "model/config/ModelConfig.h"

namespace moon::test {

struct RowSpec {
  bool image = true;
  int title = 5;  // title tokens (0 = no text)
  int trace = 4;  // target trace tokens
};

inline ModelConfig microConfig() { return modelPreset("micro"); }

// Random ids from the non-special range [10, vocab). Padding uses id 0 (<pad>)
// plus extra junk columns so masks are really exercised.
inline ProductBatch makeBatch(const ModelConfig& cfg, const std::vector<RowSpec>& rows, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  const int64_t B = static_cast<int64_t>(rows.size());
  int64_t Lt = 1, Lr = 1;
  for (const auto& r : rows) {
    Lt = std::max<int64_t>(Lt, r.title + 2);
    Lr = std::max<int64_t>(Lr, r.trace + 2);
  }
  const int64_t V = cfg.language.vocab_size, S = cfg.vision.image_size;
  ProductBatch b;
  b.images = torch::rand({B, 3, S, S}, gen, torch::kFloat) * 2 - 1;
  b.hasImage = torch::zeros({B}, torch::kBool);
  b.titleIds = torch::randint(10, V, {B, Lt}, gen, torch::kLong);
  b.titleLengths = torch::zeros({B}, torch::kLong);
  b.traceIds = torch::randint(10, V, {B, Lr}, gen, torch::kLong);
  b.traceLengths = torch::zeros({B}, torch::kLong);
  for (int64_t i = 0; i < B; ++i) {
    const auto& r = rows[static_cast<size_t>(i)];
    b.hasImage[i] = r.image;
    if (!r.image) b.images[i].zero_();
    b.titleLengths[i] = r.title;
    b.traceLengths[i] = r.trace;
    b.ids.push_back("p" + std::to_string(i));
  }
  return b;
}

// Row i alone, with its padding trimmed to its own lengths.
inline ProductBatch sliceRow(const ProductBatch& b, int64_t i) {
  ProductBatch r;
  const int64_t lt = b.titleLengths[i].item<int64_t>(), lr = b.traceLengths[i].item<int64_t>();
  r.images = b.images.narrow(0, i, 1).clone();
  r.hasImage = b.hasImage.narrow(0, i, 1).clone();
  r.titleIds = b.titleIds.narrow(0, i, 1).narrow(1, 0, lt).clone();
  r.titleLengths = b.titleLengths.narrow(0, i, 1).clone();
  r.traceIds = b.traceIds.narrow(0, i, 1).narrow(1, 0, lr).clone();
  r.traceLengths = b.traceLengths.narrow(0, i, 1).clone();
  r.ids = {b.ids.at(static_cast<size_t>(i))};
  return r;
}

inline double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  const auto ad = a.detach().to(torch::kCPU, torch::kDouble), bd = b.detach().to(torch::kCPU, torch::kDouble);
  const double denom = std::max(bd.norm().item<double>(), 1e-30);
  return (ad - bd).norm().item<double>() / denom;
}

// Every modality combination: image+title, image only, title only.
inline std::vector<RowSpec> mixedRows() {
  return {{true, 5, 4}, {false, 7, 2}, {true, 0, 6}, {true, 3, 0}, {false, 2, 5}};
}

// Copies every tensor of `from` whose name and shape exist in `to`.
inline void copyMatching(torch::nn::Module& from, torch::nn::Module& to) {
  torch::NoGradGuard g;
  auto src = from.named_parameters();
  for (auto& p : to.named_parameters())
    if (const auto* s = src.find(p.key()); s && s->sizes() == p.value().sizes()) p.value().copy_(*s);
}

}  // namespace moon::test
