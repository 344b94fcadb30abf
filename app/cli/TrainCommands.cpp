#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/store/Workspace.h"
#include "training/TrainConfig.h"
#include "training/trainer/StopSignal.h"
#include "training/trainer/Trainer.h"

namespace moon::cli {
namespace {

struct TrainArgs {
  std::string workspace;
  std::string preset;
  std::string config;
  std::vector<std::string> overrides;
  std::string data;
  std::string name;
  int64_t resume = 0;
  int64_t steps = 0;
  int nproc = 1;
};

void runTrain(const TrainArgs& a) {
  if (a.nproc > 1)
    throw ConfigError("--nproc " + std::to_string(a.nproc) + ": distributed training is not implemented yet");
  TrainerSetup setup;
  setup.name = a.name;
  setup.steps = a.steps;
  setup.resumeRunId = a.resume;
  if (a.resume == 0) {
    if (a.preset.empty() && a.config.empty()) throw ConfigError("moon train: give --preset P or --config FILE");
    std::vector<std::string> overrides = a.overrides;
    if (!a.data.empty()) overrides.insert(overrides.begin(), "data=" + std::filesystem::absolute(a.data).string());
    setup.config = resolveTrainConfig(a.preset, a.config, overrides);
  } else if (!a.overrides.empty() || !a.config.empty() || !a.preset.empty() || !a.data.empty()) {
    throw ConfigError("--resume continues a run with its stored config; only --steps may change");
  }
  // The event stream is the machine-readable output (the GUI parses it).
  setup.hooks.onEvent = [](const TrainEvent& e) { std::cout << e.toJsonLine() << '\n' << std::flush; };

  Workspace ws = Workspace::open(a.workspace, true);
  installStopSignalHandlers();
  Trainer trainer(ws, std::move(setup));
  if (trainer.run() == TrainOutcome::Failed) {
    const auto run = ws.store().run(trainer.runId());
    throw Error("run " + std::to_string(trainer.runId()) + " failed: " + (run ? run->message : std::string("?")));
  }
}

}  // namespace

void addTrainCommands(CLI::App& app) {
  auto args = std::make_shared<TrainArgs>();
  auto* train = app.add_subcommand("train", "Train a model (JSON-lines events on stdout)");
  train->add_option("--workspace", args->workspace, "workspace folder (created when missing)")->required();
  train->add_option("--preset", args->preset, "micro | tiny | small | base");
  train->add_option("--config", args->config, "training config JSON applied over the preset (micro by default)");
  train->add_option("--set", args->overrides, "override a key, e.g. --set optim.lr=1e-3 (repeatable)");
  train->add_option("--data", args->data, "dataset folder (same as --set data=DIR)");
  train->add_option("--name", args->name, "run name");
  train->add_option("--resume", args->resume, "continue run ID from its latest checkpoint");
  train->add_option("--steps", args->steps, "optimiser steps (overrides the config; extends a resumed run)");
  train->add_option("--nproc", args->nproc, "local data-parallel workers")->capture_default_str();
  train->callback([args] { runTrain(*args); });
}

}  // namespace moon::cli
