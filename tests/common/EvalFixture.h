#pragma once

// Header-only (each test executable is one translation unit, which keeps
// their builds short).
//
// The shared synthetic catalogue (SyntheticCatalogue.h) with val and test
// splits, and a randomly initialised micro model that fits it.

#include <torch/torch.h>

#include <algorithm>
#include <string>
#include <vector>

#include "SyntheticCatalogue.h"
#include "core/text/DatasetTokenizer.h"

#include "core/data/Dataset.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"

namespace eval_fixture {

// Evaluation needs val and test triplets even from 24 products.
inline moon::SynthOptions catalogueOptions(int products) {
  moon::SynthOptions o = moon::test::smallCatalogue(products, 32, 5);
  o.valFraction = 0.2;
  o.testFraction = 0.25;
  return o;
}

// `cfg`'s loader with another batch size (how the embedder batches items).
inline moon::LoaderConfig loaderWithBatch(const moon::TrainConfig& cfg, int batch) {
  moon::LoaderConfig l = cfg.loader;
  l.batch_size = batch;
  return l;
}

inline moon::DatasetOptions quietOptions() {
  moon::DatasetOptions o;
  o.logReport = false;
  return o;
}

}  // namespace eval_fixture

struct EvalFixture {
  explicit EvalFixture(int products = 24);

  // The micro preset on this catalogue (one thread, fixed seed, small batches).
  moon::TrainConfig microConfig(const std::vector<std::string>& overrides = {}) const;
  // A fresh model of `cfg` (vocabulary raised to the tokenizer's), seeded.
  moon::MoonModel makeModel(moon::TrainConfig cfg) const;

  moon::test::SyntheticCatalogue catalogue;
  std::string dataDir;
  std::string workspaceDir;
  moon::BpeTokenizer tokenizer;
  moon::Dataset dataset;
};

inline EvalFixture::EvalFixture(int products)
    : catalogue(eval_fixture::catalogueOptions(products)),
      dataDir(catalogue.dataDir()),
      workspaceDir(catalogue.workspaceDir()),
      tokenizer(moon::loadDatasetTokenizer(dataDir)),
      dataset(moon::Dataset::load(dataDir, eval_fixture::quietOptions())) {}

inline moon::TrainConfig EvalFixture::microConfig(const std::vector<std::string>& overrides) const {
  std::vector<std::string> all = {"data=" + dataDir, "threads=1", "seed=7", "schedule.warmup_steps=1"};
  all.insert(all.end(), overrides.begin(), overrides.end());
  return moon::resolveTrainConfig("micro", "", all);
}

inline moon::MoonModel EvalFixture::makeModel(moon::TrainConfig cfg) const {
  cfg.model.language.vocab_size = std::max(cfg.model.language.vocab_size, tokenizer.vocabSize());
  torch::manual_seed(11);
  moon::MoonModel model(cfg.model);
  model->eval();
  return model;
}
