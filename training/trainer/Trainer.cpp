#include "training/trainer/Trainer.h"

#include <optional>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/Dataset.h"
#include "core/text/DatasetTokenizer.h"
#include "model/runtime/AllocatorPolicy.h"
#include "model/runtime/Device.h"
#include "model/runtime/IntraOpThreads.h"
#include "training/checkpoint/Checkpoint.h"
#include "training/data/TripletLoader.h"
#include "training/distributed/RankWeights.h"
#include "training/eval/ValidationRetrieval.h"
#include "training/trainer/CheckpointPolicy.h"
#include "training/trainer/Curriculum.h"
#include "training/trainer/GradientSync.h"
#include "training/trainer/RunSession.h"
#include "training/trainer/StopSignal.h"
#include "training/trainer/TrainingState.h"
#include "training/trainer/TrainingStep.h"
#include "training/trainer/ValidationTraceGroups.h"

namespace moon {
namespace fs = std::filesystem;

// The parts of a run (one job each) and the loop that drives them.
struct Trainer::Parts {
  GradientSync sync;
  TrainConfig cfg;
  torch::Device device{torch::kCPU};
  std::optional<Dataset> dataset;
  std::optional<BpeTokenizer> tokenizer;
  std::unique_ptr<RunSession> session;
  std::unique_ptr<TrainingState> state;
  std::unique_ptr<CheckpointPolicy> checkpoints;
  std::unique_ptr<TripletLoader> loader;
  std::unique_ptr<ValidationRetrieval> validation;  // main rank only
  TrainerHooks hooks;

  explicit Parts(std::shared_ptr<DistributedContext> dist) : sync(std::move(dist)) {}
  // `baseline`: the untrained model at step 0, recorded but never "best".
  void validate(bool baseline = false);
};

void Trainer::Parts::validate(bool baseline) {
  const int64_t step = state->counters.step;
  const auto metrics = validation->evaluate(*state->model);
  session->validated(step, metrics);
  const ValidationSamples samples = validationSamples(*validation, *state->model, cfg, step);
  if (!samples.empty()) session->storeValidationSamples(step, samples.toJson().dump());
  const double headline = metrics.at(kHeadlineMetric);
  log::training()->info("run {} step {}: {} = {:.4f}{}", session->runId(), step, kHeadlineMetric, headline,
                        baseline ? " (untrained baseline)" : "");
  if (baseline) return;
  TrainerState& c = state->counters;
  if (!c.bestMetric || headline > *c.bestMetric) {
    c.bestMetric = headline;
    c.bestStep = step;
    session->setBest(kHeadlineMetric, headline);
    checkpoints->write(*state, *loader, *session, /*best=*/true, headline);
  }
}

Trainer::Trainer(Workspace& workspace, TrainerSetup setup) : p_(std::make_unique<Parts>(std::move(setup.dist))) {
  initLogging();
  Parts& p = *p_;
  p.hooks = std::move(setup.hooks);
  const bool main = p.sync.main();
  if (main)
    for (int64_t id : workspace.store().markDeadRunsInterrupted())
      log::training()->warn("run {} was left running by a process that no longer exists: marked interrupted", id);

  p.cfg = runConfigFor(workspace.store(), setup.config, setup.resumeRunId, setup.steps, main);
  applyIntraOpThreads(p.cfg.threads);
  keepFreedMemoryForReuse();  // a step re-allocates what the last one freed
  p.device = resolveDevice(p.cfg.device, p.sync.localRank());
  if (main)
    log::training()->info("forward in {} (autocast = {})", trainsInBf16(p.cfg, p.device) ? "bf16 autocast" : "fp32",
                          p.cfg.autocast);

  DatasetOptions dsOptions;
  dsOptions.splits = {"train", "val"};
  dsOptions.requiredSplits = {"train", "val"};
  p.dataset = Dataset::load(p.cfg.data, dsOptions);
  p.tokenizer = loadDatasetTokenizer(p.cfg.data);
  if (p.tokenizer->vocabSize() > p.cfg.model.language.vocab_size) {
    log::training()->info("model.language.vocab_size raised from {} to the tokenizer's {}",
                          p.cfg.model.language.vocab_size, p.tokenizer->vocabSize());
    p.cfg.model.language.vocab_size = p.tokenizer->vocabSize();
  }

  // Rank 0 makes (or reopens) the run; the others learn its id.
  const int64_t runId =
      p.sync.broadcastRunId(RunSession::prepareRun(workspace, p.cfg, setup.name, setup.resumeRunId, main));
  p.session = std::make_unique<RunSession>(workspace, runId, main, p.hooks.onEvent);
  p.state = std::make_unique<TrainingState>(p.cfg, p.device);
  p.checkpoints = std::make_unique<CheckpointPolicy>(p.cfg.checkpoint, p.cfg.steps);
  if (setup.resumeRunId > 0)
    if (const auto from = latestCheckpoint(workspace.store(), runId, workspace.runDir(runId))) {
      p.state->restore(*from);
      p.checkpoints->restoredAt(p.state->counters.step);
      log::training()->info("run {}: resuming from {} (step {})", runId, from->string(), p.state->counters.step);
    }
  // Every rank built the same weights from the same seed (or loaded the same
  // checkpoint); rank 0's are sent anyway so no rank can start different.
  NamedTensors initial = p.state->modelTensors();
  initial.emplace_back("logit_scale", p.state->scale->logScale);
  p.sync.broadcastWeights(initial);
  const LoaderShard shard{p.sync.rank(), p.sync.worldSize()};
  p.loader = std::make_unique<TripletLoader>(p.cfg.loader, p.dataset->products(), p.dataset->split("train"),
                                             p.dataset->dir(), *p.tokenizer, p.state->counters.data, shard);
  if (main) p.validation = std::make_unique<ValidationRetrieval>(*p.dataset, p.cfg.loader, p.cfg.eval, *p.tokenizer);
}

Trainer::~Trainer() = default;

int64_t Trainer::runId() const { return p_->session->runId(); }
const TrainConfig& Trainer::config() const { return p_->cfg; }
MoonModel Trainer::model() const { return p_->state->model; }
int64_t Trainer::stepsDone() const { return p_->state->counters.step; }

TrainOutcome Trainer::run() {
  Parts& p = *p_;
  RunSession& session = *p.session;
  TrainingState& state = *p.state;
  const TrainConfig& cfg = p.cfg;
  const int64_t total = cfg.steps;
  const bool main = p.sync.main();
  session.started(state.counters.step, total, p.device.str());
  int64_t parameters = 0;
  for (const auto& t : state.model->parameters()) parameters += t.numel();
  log::training()->info("run {}: {} parameters, {} train triplets, {} steps on {}{}", session.runId(), parameters,
                        p.loader->tripletCount(), total, p.device.str(),
                        p.sync.distributed()
                            ? " × " + std::to_string(p.sync.worldSize()) + " ranks (global batch " +
                                  std::to_string(int64_t(cfg.loader.batch_size) * p.sync.worldSize()) + ")"
                            : std::string());

  const StepContext context{state, *p.loader, cfg, *p.tokenizer, p.sync, p.hooks.alterLoss};
  auto stopRequested = [this] { return stop_ || stopSignalReceived(); };
  double stepSecondsAvg = 0;
  bool agreedStop = false;
  std::optional<Stage> previousStage;
  try {
    if (main && cfg.eval.at_start && state.counters.step == 0) p.validate(/*baseline=*/true);
    while (state.counters.step < total) {
      // Data parallel, a stop is agreed with the gradients so every rank leaves after the same step.
      if (agreedStop || (!p.sync.distributed() && stopRequested())) break;
      const StagePlan plan = stageAt(cfg, state.counters.step);
      if (previousStage && *previousStage != plan.stage)
        log::training()->info("run {}: stage {} from step {}", session.runId(), stageName(plan.stage),
                              state.counters.step);
      previousStage = plan.stage;

      const StepOutcome step = runTrainingStep(context, plan, stopRequested);
      if (!step.nonFinite.empty()) {
        const int64_t last = p.checkpoints->lastWritten();
        throw FormatError(step.nonFinite +
                          (last >= 0 ? "; last good checkpoint: step " + std::to_string(last) : "; no checkpoint yet"));
      }
      agreedStop = step.stop;
      const int64_t done = state.counters.step;
      stepSecondsAvg = stepSecondsAvg == 0 ? step.seconds : 0.9 * stepSecondsAvg + 0.1 * step.seconds;
      session.stepDone(done, total, step.numbers, stepSecondsAvg * static_cast<double>(total - done));

      // Other ranks run on into the next step's collectives and wait there.
      if (main) {
        if (done == total || (cfg.eval.every > 0 && done % cfg.eval.every == 0)) p.validate();
        if (p.checkpoints->due(done)) p.checkpoints->write(state, *p.loader, session, false, std::nullopt);
      }
      if (p.hooks.afterStep) p.hooks.afterStep(done);
    }
  } catch (const std::exception& ex) {
    const std::string message = ex.what();
    log::training()->error("run {} failed: {}", session.runId(), message);
    session.failed(state.counters.step, message);
    return TrainOutcome::Failed;
  }

  const int64_t step = state.counters.step;
  if (step < total) {
    if (p.checkpoints->lastWritten() != step) p.checkpoints->write(state, *p.loader, session, false, std::nullopt);
    const std::string message = "stopped at step " + std::to_string(step) + " of " + std::to_string(total);
    session.stopped(step, message);
    log::training()->info("run {}: {}", session.runId(), message);
    p.sync.barrier();  // rank 0 hosts the store: leave together
    return TrainOutcome::Stopped;
  }
  writeRankWeightsIfAsked(*state.model, *state.scale, p.sync.rank());
  p.sync.barrier();
  session.completed(step, state.counters.bestMetric);
  return TrainOutcome::Completed;
}

}  // namespace moon
