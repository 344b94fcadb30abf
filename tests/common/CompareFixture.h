#pragma once

// The shared synthetic catalogue (SyntheticCatalogue.h) and micro checkpoints of
// both kinds — a model checkpoint (model.json) and a run's training
// checkpoint (config.json) — made in a temporary folder in about a second.

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "SyntheticCatalogue.h"
#include "core/config/Config.h"
#include "core/data/Dataset.h"
#include "core/text/DatasetTokenizer.h"
#include "model/MoonModel.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "training/TrainConfig.h"

namespace moon::test {

class CompareFixture {
 public:
  CompareFixture() : catalogue_(smallCatalogue(24, 48, 11)) {
    const auto tokenizer = loadDatasetTokenizer(dataset());
    torch::manual_seed(3);
    config_ = modelPreset("micro");
    config_.language.vocab_size = std::max(config_.language.vocab_size, tokenizer.vocabSize());
    config_.max_trace_tokens = 12;      // short traces keep the tests fast
    config_.language.copy_head = true;  // as the tiny preset: the view marks copied tokens
    MoonModel model(config_);
    saveModelCheckpoint(modelCheckpoint(), *model, (std::filesystem::path(dataset()) / kDatasetTokenizerFile).string());

    // A run's checkpoint folder as the trainer lays it out (training/checkpoint): the same
    // weights file next to the run's resolved config.json.
    std::filesystem::create_directories(trainingCheckpoint());
    std::filesystem::copy_file(std::filesystem::path(modelCheckpoint()) / kModelWeightsFile,
                               std::filesystem::path(trainingCheckpoint()) / kModelWeightsFile);
    TrainConfig cfg = trainPreset("micro");
    cfg.model = config_;
    cfg.data = dataset();
    std::ofstream(std::filesystem::path(trainingCheckpoint()) / "config.json") << configToJson(cfg).dump(2);
  }

  std::string path(const std::string& name) const { return catalogue_.path(name); }
  std::string dataset() const { return catalogue_.dataDir(); }
  std::string modelCheckpoint() const { return path("model-ckpt"); }
  std::string trainingCheckpoint() const { return path("run/checkpoints/step-00000010"); }
  const ModelConfig& config() const { return config_; }
  // The last split that holds triplets ("" when none): the one the tests show.
  std::string tripletSplit() const {
    DatasetOptions o;
    o.requiredSplits = {};
    o.logReport = false;
    const auto ds = Dataset::load(dataset(), o);
    std::string split;
    for (const auto& name : ds.splitNames())
      if (!ds.split(name).empty()) split = name;
    return split;
  }

 private:
  SyntheticCatalogue catalogue_;
  ModelConfig config_;
};

}  // namespace moon::test
