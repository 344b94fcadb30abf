#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/config/Config.h"
#include "core/text/BpeTokenizer.h"
#include "model/ModelSummary.h"
#include "model/MoonModel.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "model/inference/TokenizerCodec.h"

namespace moon::cli {
namespace {

struct ConfigArgs {
  std::string preset = "tiny";
  std::string config;  // JSON file, applied over the preset
  std::vector<std::string> overrides;

  void addTo(CLI::App* cmd) {
    cmd->add_option("--preset", preset, "micro | tiny | small | base")->capture_default_str();
    cmd->add_option("--config", config, "model config JSON applied over the preset");
    cmd->add_option("--set", overrides, "override a key, e.g. --set fire.every=2 (repeatable)");
  }

  ModelConfig build() const {
    ModelConfig cfg = modelPreset(preset);
    if (!config.empty()) {
      // Keys in the file override the preset's values, like --set does.
      auto json = configToJson(cfg);
      json.merge_patch(readJsonFile(config));
      cfg = configFromJson<ModelConfig>(json, config);
    }
    applyOverrides(cfg, overrides);
    validateModelConfig(cfg);
    return cfg;
  }
};

void runSummary(const ConfigArgs& a) {
  MoonModel model(a.build());
  std::cout << "model preset " << a.preset << "\n\n" << formatModelSummary(*model);
}

struct InitArgs {
  ConfigArgs config;
  std::string out;
  std::string tokenizer;
  uint64_t seed = 0;
};

// A freshly initialised checkpoint: a starting point for smoke tests and demos.
void runInit(const InitArgs& a) {
  const ModelConfig cfg = a.config.build();
  SpecialTokenIds special;
  if (!a.tokenizer.empty()) {
    const auto tokenizer = BpeTokenizer::load(a.tokenizer);
    special = specialTokenIdsOf(tokenizer);
    if (tokenizer.vocabSize() > cfg.language.vocab_size)
      throw ConfigError(a.tokenizer + ": " + std::to_string(tokenizer.vocabSize()) +
                        " tokens do not fit language.vocab_size " + std::to_string(cfg.language.vocab_size));
  }
  torch::manual_seed(a.seed);
  MoonModel model(cfg, special);
  std::string ref;
  if (!a.tokenizer.empty()) {
    // The checkpoint folder carries its own copy, so it can be moved as a whole.
    std::filesystem::create_directories(a.out);
    std::filesystem::copy_file(a.tokenizer, std::filesystem::path(a.out) / "tokenizer.json",
                               std::filesystem::copy_options::overwrite_existing);
    ref = "tokenizer.json";
  }
  saveModelCheckpoint(a.out, *model, ref);
  std::cout << "wrote an initialised " << a.config.preset << " checkpoint to " << a.out << "\n";
}

}  // namespace

void addModelCommands(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Model configurations: summary, initial checkpoints");
  model->require_subcommand(1);

  auto summaryArgs = std::make_shared<ConfigArgs>();
  auto* summary = model->add_subcommand("summary", "Parameter count per block of a model configuration");
  summaryArgs->addTo(summary);
  summary->callback([summaryArgs] { runSummary(*summaryArgs); });

  auto initArgs = std::make_shared<InitArgs>();
  auto* init = model->add_subcommand("init", "Write a randomly initialised checkpoint (smoke tests, demos)");
  initArgs->config.addTo(init);
  init->add_option("--out", initArgs->out, "checkpoint folder to write")->required();
  init->add_option("--tokenizer", initArgs->tokenizer, "tokenizer.json to copy in and take special-token ids from");
  init->add_option("--seed", initArgs->seed, "initialisation seed")->capture_default_str();
  init->callback([initArgs] { runInit(*initArgs); });

  addInferCommand(app);
}

}  // namespace moon::cli
