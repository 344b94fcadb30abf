#include <CLI/CLI.hpp>

#include <iostream>

#include "app/cli/Commands.h"
#include "core/config/Config.h"
#include "model/ModelSummary.h"
#include "model/MoonModel.h"

namespace moon::cli {
namespace {

struct SummaryArgs {
  std::string preset = "tiny";
  std::string config;  // JSON file, applied over the preset
  std::vector<std::string> overrides;
};

void runSummary(const SummaryArgs& a) {
  ModelConfig cfg = modelPreset(a.preset);
  if (!a.config.empty()) {
    // Keys in the file override the preset's values, like --set does.
    auto json = configToJson(cfg);
    json.merge_patch(readJsonFile(a.config));
    cfg = configFromJson<ModelConfig>(json, a.config);
  }
  applyOverrides(cfg, a.overrides);
  MoonModel model(cfg);
  std::cout << "model preset " << a.preset << "\n\n" << formatModelSummary(*model);
}

}  // namespace

void addModelCommands(CLI::App& app) {
  auto* model = app.add_subcommand("model", "Inspect model configurations");
  model->require_subcommand(1);

  auto summaryArgs = std::make_shared<SummaryArgs>();
  auto* summary = model->add_subcommand("summary", "Parameter count per block of a model configuration");
  summary->add_option("--preset", summaryArgs->preset, "micro | tiny | small | base")->capture_default_str();
  summary->add_option("--config", summaryArgs->config, "model config JSON applied over the preset");
  summary->add_option("--set", summaryArgs->overrides, "override a key, e.g. --set fire.every=2 (repeatable)");
  summary->callback([summaryArgs] { runSummary(*summaryArgs); });
}

}  // namespace moon::cli
