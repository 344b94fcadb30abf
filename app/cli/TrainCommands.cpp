#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "training/TrainConfig.h"
#include "training/distributed/DistributedContext.h"
#include "training/distributed/LocalLauncher.h"
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

// --nproc N: this process only supervises N workers (LocalLauncher.h).
void launchWorkers(const TrainArgs& a) {
  if (distributedEnvFromEnvironment())
    throw ConfigError("--nproc " + std::to_string(a.nproc) +
                      ": WORLD_SIZE is already set; under torchrun (or a job's environment) start moon train without "
                      "--nproc");
  LaunchOptions options;
  options.nproc = a.nproc;
  options.args = argumentsWithoutNproc();
  const LaunchResult result = launchLocalWorkers(options);
  if (result.exitCode == 0) return;
  // A worker that died without cleaning up leaves its run "running" with its
  // pid: the store's own check marks it interrupted.
  if (!a.workspace.empty()) {
    try {
      Workspace ws = Workspace::open(a.workspace, false);
      for (int64_t id : ws.store().markDeadRunsInterrupted())
        log::app()->warn("run {} marked interrupted: its rank-0 worker is gone", id);
    } catch (const Error&) {
    }
  }
  throw Error("moon train --nproc " + std::to_string(a.nproc) + ": " +
              (result.message.empty() ? "a worker failed" : result.message));
}

void runTrain(const TrainArgs& a) {
  if (a.nproc < 1) throw ConfigError("--nproc " + std::to_string(a.nproc) + ": need at least 1");
  if (a.nproc > 1) return launchWorkers(a);
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

  // Started by --nproc, torchrun or a job's environment: join the process group.
  std::shared_ptr<DistributedContext> dist;
  if (const auto env = distributedEnvFromEnvironment()) {
    if (env->rank != 0) setStderrLogLevel(spdlog::level::warn);  // rank 0 speaks for the run
    const bool cuda = torch::cuda::is_available() && (a.resume != 0 || setup.config.device != "cpu");
    dist = DistributedContext::create(
        *env,
        cuda ? torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(env->localRank)) : torch::Device(torch::kCPU));
    setup.dist = dist;
  }
  installStopSignalHandlers();
  // Rank 0 creates the workspace before the others open it.
  if (dist && !dist->isMain()) dist->barrier();
  Workspace ws = Workspace::open(a.workspace, true);
  if (dist && dist->isMain()) dist->barrier();
  Trainer trainer(ws, std::move(setup));
  if (trainer.run() == TrainOutcome::Failed) {
    if (dist && !dist->isMain())
      throw Error("rank " + std::to_string(dist->rank()) + ": run " + std::to_string(trainer.runId()) +
                  " failed (rank 0's run log has the cause)");
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
  train
      ->add_option("--nproc", args->nproc,
                   "local data-parallel workers: starts N copies of moon train (Gloo on CPU, NCCL on CUDA), each "
                   "with loader.batch_size triplets of a global batch N times larger; rank 0 writes the run. "
                   "Without --nproc, the torchrun variables RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT "
                   "(and MOON_DIST_TIMEOUT_S, default 1800) make this process one worker of a larger job")
      ->capture_default_str();
  train->callback([args] { runTrain(*args); });
}

}  // namespace moon::cli
