#pragma once

// A tiny synthetic catalogue (with its tokenizer) and micro checkpoints of
// both kinds — a model checkpoint (model.json) and a run's training
// checkpoint (config.json) — made in a temporary folder in about a second.

#include <torch/torch.h>

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/config/Config.h"
#include "core/synth/CatalogueGenerator.h"
#include "core/text/DatasetTokenizer.h"
#include "model/MoonModel.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "training/TrainConfig.h"

namespace moon::test {

class CompareFixture {
 public:
  CompareFixture() {
    root_ = tmp_.path().toStdString();
    SynthOptions o;
    o.products = 24;
    o.imageSize = 48;
    o.seed = 11;
    o.threads = 2;
    generateCatalogue(dataset(), o);
    const auto tokenizer = loadDatasetTokenizer(dataset());
    torch::manual_seed(3);
    config_ = modelPreset("micro");
    config_.language.vocab_size = std::max(config_.language.vocab_size, tokenizer.vocabSize());
    config_.max_trace_tokens = 12;  // short traces keep the tests fast
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

  std::string path(const std::string& name) const { return (std::filesystem::path(root_) / name).string(); }
  std::string dataset() const { return path("data"); }
  std::string modelCheckpoint() const { return path("model-ckpt"); }
  std::string trainingCheckpoint() const { return path("run/checkpoints/step-00000010"); }
  const ModelConfig& config() const { return config_; }

 private:
  QTemporaryDir tmp_;
  std::string root_;
  ModelConfig config_;
};

}  // namespace moon::test
