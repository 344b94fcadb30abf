#pragma once
// The training loop of DESIGN.md §2 around one run of the workspace's store:
//
//   Workspace ws = Workspace::open(dir, true);
//   Trainer trainer(ws, {config, "my run"});      // or {.., resumeRunId = 7}
//   TrainOutcome result = trainer.run();
//
// Every optimiser step appends its metrics to the run store (one
// transaction), beats the run's heartbeat and emits a JSON-lines TrainEvent;
// validation, checkpoints (keep-last-N plus best) and the final status go to
// the store as well. A resumed run continues from its latest checkpoint with
// the same weights, optimiser moments, schedule, RNG and data position as if
// it had never stopped.
//
// Stops: requestStop() or SIGINT/SIGTERM (StopSignal.h) finish the current
// step, write a checkpoint and mark the run stopped. A non-finite loss marks
// the run failed, keeps the last good checkpoint and returns Failed.
//
// The parts, one job each: RunSession (the run's store rows, events and log),
// TrainingState (model, optimiser, schedule, counters; checkpoint contents),
// Curriculum (the stage of each step), TrainingStep (one optimiser step as a
// value), CheckpointPolicy (when to write, what to keep) and GradientSync
// (data-parallel agreement). This file wires them and runs the loop.
//
// Data parallel (TrainerSetup::dist, DESIGN.md §2): every rank builds the same
// Trainer; rank 0 creates or reopens the run and broadcasts the weights; each
// rank trains on its shard of a global batch of loader.batch_size × world
// size, contrastive negatives are gathered across ranks and gradients summed,
// so W ranks follow the single-process run with the global batch. Rank 0
// alone writes the store, checkpoints, log file and events and validates.
// Stops and non-finite losses are agreed at every step, so all ranks end at
// the same step. With MOON_DIST_WEIGHTS_DIR set (a test hook), every rank of
// a completed run writes its final weights to rank<R>.safetensors there.
#include <torch/torch.h>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include "core/store/Workspace.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/events/TrainEvent.h"

namespace moon {

class DistributedContext;

struct TrainerHooks {
  std::function<void(const TrainEvent&)> onEvent;  // every event, in order (the CLI prints them)
  // Called with the loss of each micro-batch before backward (tests inject NaN here).
  std::function<void(int64_t step, torch::Tensor& loss)> alterLoss;
  std::function<void(int64_t stepsDone)> afterStep;
};

struct TrainerSetup {
  TrainConfig config;       // ignored when resuming (the run's stored config is used)
  std::string name;         // new runs
  int64_t resumeRunId = 0;  // > 0: continue this run from its latest checkpoint
  int64_t steps = 0;        // > 0: replaces config.steps (also when resuming)
  TrainerHooks hooks;
  std::shared_ptr<DistributedContext> dist;  // null: one process
};

enum class TrainOutcome { Completed, Stopped, Failed };

class Trainer {
 public:
  // Loads the dataset and tokenizer, creates (or reopens) the run and builds
  // the model. Throws moon::Error for a bad config, dataset or run id.
  Trainer(Workspace& workspace, TrainerSetup setup);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  // Trains to config.steps. Failures after the run started are recorded in
  // the store (status failed + message) and reported as Failed, not thrown.
  TrainOutcome run();
  // Thread-safe; the loop stops after the current step.
  void requestStop() { stop_ = true; }

  int64_t runId() const;
  const TrainConfig& config() const;
  MoonModel model() const;
  int64_t stepsDone() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> p_;
  std::atomic<bool> stop_{false};
};

}  // namespace moon
