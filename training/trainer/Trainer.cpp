#include "training/trainer/Trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>

#include <ATen/autocast_mode.h>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/Dataset.h"
#include "core/text/DatasetTokenizer.h"
#include "training/checkpoint/Checkpoint.h"
#include "training/checkpoint/OptimizerState.h"
#include "training/data/TripletLoader.h"
#include "training/losses/LogitScale.h"
#include "training/schedule/LrSchedule.h"
#include "training/trainer/QuickRetrieval.h"
#include "training/trainer/StageOneLoss.h"
#include "training/trainer/StageTwoLoss.h"
#include "training/trainer/StopSignal.h"

namespace moon {
namespace fs = std::filesystem;
namespace {

torch::Device pickDevice(const std::string& name) {
  if (name == "cuda" && !torch::cuda::is_available())
    throw ConfigError("config key 'device': CUDA was asked for, but this LibTorch build has no CUDA device");
  if (name == "cuda" || (name == "auto" && torch::cuda::is_available())) return torch::Device(torch::kCUDA, 0);
  return torch::Device(torch::kCPU);
}

NamedTensors namedModelTensors(torch::nn::Module& m) {
  NamedTensors out;
  for (const auto& p : m.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : m.named_buffers()) out.emplace_back(b.key(), b.value());
  return out;
}

const torch::Tensor* findTensor(const NamedTensors& tensors, const std::string& name) {
  for (const auto& [n, t] : tensors)
    if (n == name) return &t;
  return nullptr;
}

}  // namespace

struct Trainer::State {
  Workspace* ws = nullptr;
  TrainerHooks hooks;
  TrainConfig cfg;
  int64_t runId = 0;
  fs::path runDir;
  torch::Device device{torch::kCPU};
  std::optional<Dataset> dataset;
  std::optional<BpeTokenizer> tokenizer;
  MoonModel model{nullptr};
  MoonModel reference{nullptr};  // frozen stage-1 model (stage 2 only)
  LogitScale scale{nullptr};
  NamedTensors modelParams;  // names of the optimiser's parameters ("model/…", "logit_scale")
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::unique_ptr<LrSchedule> schedule;
  std::unique_ptr<TripletLoader> loader;
  std::unique_ptr<QuickRetrieval> validation;
  TrainerState state;
  std::optional<fs::path> resumeFrom;
  std::ofstream events;
  std::unique_ptr<ScopedLogSink> logFile;
  int64_t lastCheckpointStep = -1;

  void emit(const TrainEvent& e) {
    if (events) events << e.toJsonLine() << '\n' << std::flush;
    if (hooks.onEvent) hooks.onEvent(e);
  }
  void saveCheckpoint(bool best, std::optional<double> metric);
  void loadCheckpoint(const fs::path& dir);
  void validate();
  bool inStageTwo() const { return cfg.grpo.enabled && state.step >= cfg.grpo.start_step; }
  void makeReference() {
    // Building a module draws initial weights from the global generator: keep its state.
    const torch::Tensor rng = cpuRngState();
    reference = MoonModel(cfg.model);
    setCpuRngState(rng);
    reference->to(device);
    loadNamedTensors(namedModelTensors(*reference), namedModelTensors(*model), "stage-1 model");
    reference->eval();
    for (auto& p : reference->parameters()) p.set_requires_grad(false);
  }
};

void Trainer::State::saveCheckpoint(bool best, std::optional<double> metric) {
  const std::string name = checkpointDirName(state.step);
  const fs::path dir = ws->checkpointsDir(runId) / name;
  CheckpointContents c;
  c.model = namedModelTensors(*model);
  c.trainer = adamWStateTensors(*optimizer, modelParams);
  c.trainer.emplace_back("logit_scale", scale->logScale);
  c.trainer.emplace_back("rng/cpu", cpuRngState());
  if (reference)
    for (const auto& [n, t] : namedModelTensors(*reference)) c.trainer.emplace_back("reference/" + n, t);
  c.config = configToJson(cfg);
  state.schedule = schedule->state();
  state.data = loader->position();
  c.state = state;
  writeCheckpoint(dir, c);
  CheckpointRecord rec;
  rec.runId = runId;
  rec.step = state.step;
  rec.path = (fs::path("checkpoints") / name).string();
  rec.metric = metric;
  rec.isBest = best;
  // A later plain checkpoint at the best step must not drop the flag.
  if (!best)
    for (const auto& old : ws->store().checkpoints(runId))
      if (old.step == state.step && old.isBest) {
        rec.isBest = true;
        rec.metric = old.metric;
      }
  ws->store().addCheckpoint(rec);
  pruneCheckpoints(ws->store(), runId, runDir, cfg.checkpoint.keep_last);
  lastCheckpointStep = state.step;
  TrainEvent e = TrainEvent::make(TrainEventKind::Checkpoint, state.step);
  e.strings[event_key::kPath] = dir.string();
  if (metric) e.numbers[kHeadlineMetric] = *metric;
  e.numbers["best"] = rec.isBest ? 1 : 0;
  emit(e);
}

void Trainer::State::loadCheckpoint(const fs::path& dir) {
  const CheckpointContents c = readCheckpoint(dir);
  const std::string origin = dir.string();
  loadNamedTensors(namedModelTensors(*model), c.model, origin + "/" + kModelWeightsFile);
  const std::string trainerFile = origin + "/trainer.safetensors";
  const torch::Tensor* ls = findTensor(c.trainer, "logit_scale");
  if (!ls) throw FormatError(trainerFile + ": tensor 'logit_scale' is missing");
  loadNamedTensors({{"logit_scale", scale->logScale}}, {{"logit_scale", *ls}}, trainerFile);
  loadAdamWState(*optimizer, modelParams, c.trainer, trainerFile);
  if (!c.model.empty() && findTensor(c.trainer, "reference/" + c.model.front().first)) {
    makeReference();
    NamedTensors saved;
    for (const auto& [n, t] : c.trainer)
      if (n.rfind("reference/", 0) == 0) saved.emplace_back(n.substr(10), t);
    loadNamedTensors(namedModelTensors(*reference), saved, trainerFile);
  }
  if (const torch::Tensor* rng = findTensor(c.trainer, "rng/cpu")) setCpuRngState(*rng);
  state = c.state;
  schedule->loadState(state.schedule);
  lastCheckpointStep = state.step;
}

void Trainer::State::validate() {
  const auto metrics = validation->evaluate(*model);
  std::vector<MetricPoint> points;
  TrainEvent e = TrainEvent::make(TrainEventKind::Eval, state.step);
  for (const auto& [k, v] : metrics) {
    points.push_back({state.step, k, v, 0});
    e.numbers[k] = v;
  }
  ws->store().appendMetrics(runId, points);
  emit(e);
  const double headline = metrics.at(kHeadlineMetric);
  log::training()->info("run {} step {}: {} = {:.4f}", runId, state.step, kHeadlineMetric, headline);
  if (!state.bestMetric || headline > *state.bestMetric) {
    state.bestMetric = headline;
    state.bestStep = state.step;
    ws->store().setBestMetric(runId, kHeadlineMetric, headline);
    saveCheckpoint(true, headline);
  }
}

Trainer::Trainer(Workspace& workspace, TrainerSetup setup) : s_(std::make_unique<State>()) {
  initLogging();
  State& s = *s_;
  s.ws = &workspace;
  s.hooks = std::move(setup.hooks);
  RunStore& store = workspace.store();
  for (int64_t id : store.markDeadRunsInterrupted())
    log::training()->warn("run {} was left running by a process that no longer exists: marked interrupted", id);

  if (setup.resumeRunId > 0) {
    const auto run = store.run(setup.resumeRunId);
    if (!run) throw ConfigError("--resume " + std::to_string(setup.resumeRunId) + ": no such run in " + store.path());
    if (run->status == RunStatus::Running)
      throw ConfigError("--resume " + std::to_string(run->id) + ": the run is still running (pid " +
                        std::to_string(run->pid) + " on " + run->host + ")");
    if (run->status == RunStatus::Completed && setup.steps <= 0)
      throw ConfigError("--resume " + std::to_string(run->id) +
                        ": the run already completed (pass --steps to extend it)");
    s.cfg = configFromJson<TrainConfig>(nlohmann::json::parse(run->configJson),
                                        "run " + std::to_string(run->id) + " config");
    s.runId = run->id;
  } else {
    s.cfg = setup.config;
  }
  if (setup.steps > 0) s.cfg.steps = setup.steps;
  if (s.cfg.data.empty()) throw ConfigError("config key 'data': no dataset folder given (--data DIR)");
  validateTrainConfig(s.cfg);

  if (s.cfg.threads > 0) torch::set_num_threads(s.cfg.threads);
  s.device = pickDevice(s.cfg.device);

  DatasetOptions dsOptions;
  dsOptions.splits = {"train", "val"};
  dsOptions.requiredSplits = {"train", "val"};
  s.dataset = Dataset::load(s.cfg.data, dsOptions);
  s.tokenizer = loadDatasetTokenizer(s.cfg.data);
  if (s.tokenizer->vocabSize() > s.cfg.model.language.vocab_size) {
    log::training()->info("model.language.vocab_size raised from {} to the tokenizer's {}",
                          s.cfg.model.language.vocab_size, s.tokenizer->vocabSize());
    s.cfg.model.language.vocab_size = s.tokenizer->vocabSize();
  }

  const std::string configJson = configToJson(s.cfg).dump(2);
  if (s.runId == 0) {
    RunRecord rec;
    rec.name = setup.name.empty() ? s.cfg.preset + " run" : setup.name;
    rec.preset = s.cfg.preset;
    rec.configJson = configJson;
    rec.stepsTotal = s.cfg.steps;
    s.runId = workspace.createRun(rec);
  } else {
    store.setConfigJson(s.runId, configJson);
    writeFileAtomically(workspace.configPath(s.runId).string(), configJson + "\n");
    s.resumeFrom = latestCheckpoint(store, s.runId, workspace.runDir(s.runId));
  }
  s.runDir = workspace.runDir(s.runId);
  fs::create_directories(workspace.checkpointsDir(s.runId));
  s.logFile = openRunLogFile(workspace.logPath(s.runId).string());
  s.events.open(workspace.eventsPath(s.runId), std::ios::app);

  // Same seed, same initial weights: the model is built right after seeding.
  torch::manual_seed(static_cast<uint64_t>(s.cfg.seed));
  s.model = MoonModel(s.cfg.model);
  s.model->to(s.device);
  s.scale = LogitScale(s.cfg.contrastive.temperature);
  s.scale->to(s.device);
  s.model->train();

  // Group 0: the network, with weight decay; group 1: the temperature, without.
  std::vector<torch::Tensor> netParams;
  for (const auto& p : s.model->named_parameters()) {
    s.modelParams.emplace_back(p.key(), p.value());
    netParams.push_back(p.value());
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  const auto& o = s.cfg.optim;
  auto opts = [&](double wd) {
    return std::make_unique<torch::optim::AdamWOptions>(
        torch::optim::AdamWOptions(o.lr).betas(std::make_tuple(o.betas[0], o.betas[1])).eps(o.eps).weight_decay(wd));
  };
  groups.emplace_back(netParams, opts(o.weight_decay));
  std::vector<torch::Tensor> scaleParams;
  if (s.scale->logScale.requires_grad()) {
    scaleParams.push_back(s.scale->logScale);
    s.modelParams.emplace_back("logit_scale", s.scale->logScale);
    groups.emplace_back(scaleParams, opts(0.0));
  }
  s.optimizer = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(o.lr));
  s.schedule = std::make_unique<LrSchedule>(s.cfg.schedule, o.lr, s.cfg.steps);

  if (s.resumeFrom) {
    s.loadCheckpoint(*s.resumeFrom);
    log::training()->info("run {}: resuming from {} (step {})", s.runId, s.resumeFrom->string(), s.state.step);
  }
  LoaderConfig lc = s.cfg.loader;
  s.loader = std::make_unique<TripletLoader>(lc, s.dataset->products(), s.dataset->split("train"), s.dataset->dir(),
                                             *s.tokenizer, s.state.data);
  s.validation = std::make_unique<QuickRetrieval>(*s.dataset, s.cfg, *s.tokenizer);
}

Trainer::~Trainer() = default;

int64_t Trainer::runId() const { return s_->runId; }
const TrainConfig& Trainer::config() const { return s_->cfg; }
MoonModel Trainer::model() const { return s_->model; }
int64_t Trainer::stepsDone() const { return s_->state.step; }

TrainOutcome Trainer::run() {
  State& s = *s_;
  RunStore& store = s.ws->store();
  const TrainConfig& cfg = s.cfg;
  const int64_t total = cfg.steps;
  store.markRunning(s.runId, s.device.str());
  store.setProgress(s.runId, s.state.step, total);
  {
    TrainEvent e = TrainEvent::make(TrainEventKind::Started, s.state.step);
    e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
    e.strings[event_key::kRunId] = std::to_string(s.runId);
    e.strings[event_key::kPath] = s.runDir.string();
    s.emit(e);
  }
  log::training()->info(
      "run {}: {} parameters, {} train triplets, {} steps on {}", s.runId,
      [&] {
        int64_t n = 0;
        for (const auto& p : s.model->parameters()) n += p.numel();
        return n;
      }(),
      s.loader->tripletCount(), total, s.device.str());

  using Clock = std::chrono::steady_clock;
  double stepSecondsAvg = 0;
  const bool autocast = s.device.is_cuda();
  try {
    while (s.state.step < total) {
      if (stop_ || stopSignalReceived()) break;
      const auto t0 = Clock::now();
      const bool rl = s.inStageTwo();
      if (rl && !s.reference) {
        s.makeReference();
        log::training()->info("run {}: stage 2 (GRPO) from step {}", s.runId, s.state.step);
      }
      const double lr = s.schedule->lr() * (rl ? cfg.grpo.lr_scale : 1.0);
      for (auto& g : s.optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
      s.optimizer->zero_grad();

      std::map<std::string, double> sums;
      int64_t samples = 0;
      for (int a = 0; a < cfg.optim.accumulation; ++a) {
        const TripletBatch batch = s.loader->next();
        samples += batch.query.size();
        if (autocast) {
          at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
          at::autocast::set_enabled(true);
        }
        const uint64_t seed = static_cast<uint64_t>(cfg.seed) * 1000003u +
                              static_cast<uint64_t>(s.state.step * cfg.optim.accumulation + a);
        LossParts parts = rl ? stageTwoLoss(*s.model, *s.reference, *s.scale, batch, cfg, *s.tokenizer, seed)
                             : stageOneLoss(*s.model, *s.scale, batch, cfg);
        if (autocast) {
          at::autocast::set_enabled(false);
          at::autocast::clear_cache();
        }
        torch::Tensor loss = parts.total / static_cast<double>(cfg.optim.accumulation);
        if (s.hooks.alterLoss) s.hooks.alterLoss(s.state.step, loss);
        const double value = loss.item<double>() * cfg.optim.accumulation;
        if (!std::isfinite(value)) {
          std::string detail;
          for (const auto& [k, v] : parts.numbers)
            if (k.rfind("loss_", 0) == 0) detail += " " + k + "=" + std::to_string(v);
          throw FormatError("non-finite loss (" + std::to_string(value) + ") at step " +
                            std::to_string(s.state.step + 1) + ";" + detail +
                            (s.lastCheckpointStep >= 0
                                 ? "; last good checkpoint: step " + std::to_string(s.lastCheckpointStep)
                                 : "; no checkpoint yet"));
        }
        loss.backward();
        sums[event_key::kLoss] += value;
        for (const auto& [k, v] : parts.numbers) sums[k] += v;
      }
      for (auto& [k, v] : sums) v /= cfg.optim.accumulation;

      std::vector<torch::Tensor> params;
      for (const auto& [n, p] : s.modelParams) params.push_back(p);
      const double gradNorm = torch::nn::utils::clip_grad_norm_(
          params, cfg.optim.grad_clip > 0 ? cfg.optim.grad_clip : std::numeric_limits<double>::infinity());
      s.optimizer->step();
      s.schedule->advance();
      ++s.state.step;
      s.state.samples += samples;

      const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      stepSecondsAvg = stepSecondsAvg == 0 ? seconds : 0.9 * stepSecondsAvg + 0.1 * seconds;
      sums[event_key::kLr] = lr;
      sums[event_key::kTemperature] = s.scale->temperature();
      sums[event_key::kGradNorm] = gradNorm;
      sums[event_key::kSamplesPerS] = samples / std::max(seconds, 1e-9);
      sums[event_key::kEpoch] = static_cast<double>(s.loader->position().epoch);
      std::vector<MetricPoint> points;
      for (const auto& [k, v] : sums) points.push_back({s.state.step, "train/" + k, v, 0});
      store.appendMetrics(s.runId, points);
      store.setProgress(s.runId, s.state.step, total);  // also the heartbeat
      TrainEvent e = TrainEvent::make(TrainEventKind::Step, s.state.step);
      e.numbers = sums;
      e.numbers[event_key::kEtaS] = stepSecondsAvg * static_cast<double>(total - s.state.step);
      e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
      s.emit(e);

      const bool last = s.state.step == total;
      if (last || (cfg.eval.every > 0 && s.state.step % cfg.eval.every == 0)) s.validate();
      if (s.lastCheckpointStep != s.state.step &&
          (last || (cfg.checkpoint.every > 0 && s.state.step % cfg.checkpoint.every == 0)))
        s.saveCheckpoint(false, std::nullopt);
      if (s.hooks.afterStep) s.hooks.afterStep(s.state.step);
    }
  } catch (const std::exception& ex) {
    const std::string message = ex.what();
    log::training()->error("run {} failed: {}", s.runId, message);
    TrainEvent e = TrainEvent::make(TrainEventKind::Error, s.state.step);
    e.strings[event_key::kMessage] = message;
    s.emit(e);
    store.setStatus(s.runId, RunStatus::Failed, message);
    return TrainOutcome::Failed;
  }

  if (s.state.step < total) {
    if (s.lastCheckpointStep != s.state.step) s.saveCheckpoint(false, std::nullopt);
    const std::string message = "stopped at step " + std::to_string(s.state.step) + " of " + std::to_string(total);
    store.setStatus(s.runId, RunStatus::Stopped, message);
    TrainEvent e = TrainEvent::make(TrainEventKind::Stopped, s.state.step);
    e.strings[event_key::kMessage] = message;
    s.emit(e);
    log::training()->info("run {}: {}", s.runId, message);
    return TrainOutcome::Stopped;
  }
  store.setStatus(s.runId, RunStatus::Completed, "");
  TrainEvent e = TrainEvent::make(TrainEventKind::Completed, s.state.step);
  if (s.state.bestMetric) e.numbers[kHeadlineMetric] = *s.state.bestMetric;
  s.emit(e);
  return TrainOutcome::Completed;
}

}  // namespace moon
