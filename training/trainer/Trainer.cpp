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
#include "model/runtime/IntraOpThreads.h"
#include "training/checkpoint/Checkpoint.h"
#include "training/checkpoint/OptimizerState.h"
#include "training/data/TripletLoader.h"
#include "training/distributed/DistributedContext.h"
#include "training/distributed/RankWeights.h"
#include "training/losses/LogitScale.h"
#include "training/schedule/LrSchedule.h"
#include "training/trainer/QuickRetrieval.h"
#include "training/trainer/StageOneLoss.h"
#include "training/trainer/StageTwoLoss.h"
#include "training/trainer/StopSignal.h"

namespace moon {
namespace fs = std::filesystem;
namespace {

torch::Device pickDevice(const std::string& name, int localRank) {
  if (name == "cuda" && !torch::cuda::is_available())
    throw ConfigError("config key 'device': CUDA was asked for, but this LibTorch build has no CUDA device");
  if (name == "cuda" || (name == "auto" && torch::cuda::is_available()))
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(localRank));
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
  std::shared_ptr<DistributedContext> dist;  // null: one process
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

  // Rank 0 (or the only process) owns the store, files and events.
  bool main() const { return !dist || dist->isMain(); }
  int worldSize() const { return dist ? dist->worldSize() : 1; }
  void emit(const TrainEvent& e) {
    if (!main()) return;
    if (events) events << e.toJsonLine() << '\n' << std::flush;
    if (hooks.onEvent) hooks.onEvent(e);
  }
  void broadcastWeights();
  // Sums the ranks' gradients (averages the logit scale's, see StageOneLoss.h)
  // together with each rank's stop and non-finite flags; returns the summed flags.
  std::pair<bool, bool> reduceGradients(bool stop, bool bad);
  void saveCheckpoint(bool best, std::optional<double> metric);
  void loadCheckpoint(const fs::path& dir);
  // `baseline`: the untrained model at step 0, recorded but never "best".
  void validate(bool baseline = false);
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

void Trainer::State::broadcastWeights() {
  if (!dist) return;
  std::vector<torch::Tensor> tensors;
  for (const auto& [n, t] : namedModelTensors(*model)) tensors.push_back(t);
  tensors.push_back(scale->logScale);
  dist->broadcast(tensors, 0);
}

std::pair<bool, bool> Trainer::State::reduceGradients(bool stop, bool bad) {
  if (!dist) return {stop, bad};
  // A parameter no rank touched keeps an undefined gradient, as in one
  // process (AdamW then skips it); one any rank touched gets the sum.
  std::vector<torch::Tensor> tensors;
  const auto defined = torch::zeros({static_cast<int64_t>(modelParams.size()) + 2}, torch::kFloat32);
  for (size_t i = 0; i < modelParams.size(); ++i) {
    torch::Tensor p = modelParams[i].second;
    if (p.grad().defined())
      defined[static_cast<int64_t>(i)] = 1;
    else
      p.mutable_grad() = torch::zeros_like(p);
    tensors.push_back(p.grad());
  }
  defined[-2] = stop ? 1 : 0;
  defined[-1] = bad ? 1 : 0;
  tensors.push_back(defined);
  dist->allReduceSum(tensors);
  for (size_t i = 0; i < modelParams.size(); ++i) {
    torch::Tensor p = modelParams[i].second;
    if (defined[static_cast<int64_t>(i)].item<float>() == 0)
      p.mutable_grad() = torch::Tensor();
    else if (modelParams[i].first == "logit_scale")
      p.mutable_grad().div_(static_cast<double>(dist->worldSize()));
  }
  return {defined[-2].item<float>() > 0, defined[-1].item<float>() > 0};
}

void Trainer::State::validate(bool baseline) {
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
  log::training()->info("run {} step {}: {} = {:.4f}{}", runId, state.step, kHeadlineMetric, headline,
                        baseline ? " (untrained baseline)" : "");
  if (baseline) return;
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
  s.dist = std::move(setup.dist);
  RunStore& store = workspace.store();
  if (s.main())
    for (int64_t id : store.markDeadRunsInterrupted())
      log::training()->warn("run {} was left running by a process that no longer exists: marked interrupted", id);

  if (setup.resumeRunId > 0) {
    const auto run = store.run(setup.resumeRunId);
    if (!run) throw ConfigError("--resume " + std::to_string(setup.resumeRunId) + ": no such run in " + store.path());
    // Other ranks only read the run: rank 0 checks it (and may mark it running meanwhile).
    if (!s.main()) {
    } else if (run->status == RunStatus::Running)
      throw ConfigError("--resume " + std::to_string(run->id) + ": the run is still running (pid " +
                        std::to_string(run->pid) + " on " + run->host + ")");
    else if (run->status == RunStatus::Completed && setup.steps <= 0)
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

  applyIntraOpThreads(s.cfg.threads);
  s.device = pickDevice(s.cfg.device, s.dist ? s.dist->localRank() : 0);

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
  if (s.runId == 0 && s.main()) {
    RunRecord rec;
    rec.name = setup.name.empty() ? s.cfg.preset + " run" : setup.name;
    rec.preset = s.cfg.preset;
    rec.configJson = configJson;
    rec.stepsTotal = s.cfg.steps;
    s.runId = workspace.createRun(rec);
  } else if (s.runId != 0) {
    if (s.main()) {
      store.setConfigJson(s.runId, configJson);
      writeFileAtomically(workspace.configPath(s.runId).string(), configJson + "\n");
    }
    s.resumeFrom = latestCheckpoint(store, s.runId, workspace.runDir(s.runId));
  }
  if (s.dist) {
    // Rank 0 made the run; the others learn its id (and wait until it exists).
    const torch::Tensor id = torch::tensor({s.runId}, torch::kInt64);
    s.dist->broadcast({id}, 0);
    s.runId = id.item<int64_t>();
  }
  s.runDir = workspace.runDir(s.runId);
  if (s.main()) {
    fs::create_directories(workspace.checkpointsDir(s.runId));
    s.logFile = openRunLogFile(workspace.logPath(s.runId).string());
    s.events.open(workspace.eventsPath(s.runId), std::ios::app);
  }

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
  // Every rank built the same weights from the same seed (or loaded the same
  // checkpoint); rank 0's are sent anyway so no rank can start different.
  s.broadcastWeights();
  LoaderConfig lc = s.cfg.loader;
  const LoaderShard shard{s.dist ? s.dist->rank() : 0, s.worldSize()};
  s.loader = std::make_unique<TripletLoader>(lc, s.dataset->products(), s.dataset->split("train"), s.dataset->dir(),
                                             *s.tokenizer, s.state.data, shard);
  if (s.main()) s.validation = std::make_unique<QuickRetrieval>(*s.dataset, s.cfg, *s.tokenizer);
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
  const bool main = s.main();
  if (main) {
    store.markRunning(s.runId, s.device.str());
    store.setProgress(s.runId, s.state.step, total);
  }
  {
    TrainEvent e = TrainEvent::make(TrainEventKind::Started, s.state.step);
    e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
    e.strings[event_key::kRunId] = std::to_string(s.runId);
    e.strings[event_key::kPath] = s.runDir.string();
    s.emit(e);
  }
  log::training()->info(
      "run {}: {} parameters, {} train triplets, {} steps on {}{}", s.runId,
      [&] {
        int64_t n = 0;
        for (const auto& p : s.model->parameters()) n += p.numel();
        return n;
      }(),
      s.loader->tripletCount(), total, s.device.str(),
      s.dist ? " × " + std::to_string(s.worldSize()) + " ranks (global batch " +
                   std::to_string(int64_t(cfg.loader.batchSize) * s.worldSize()) + ")"
             : std::string());

  using Clock = std::chrono::steady_clock;
  double stepSecondsAvg = 0;
  const bool autocast = s.device.is_cuda();
  // Data parallel: a stop asked on any rank is agreed with the gradients, so
  // every rank leaves after the same step.
  bool agreedStop = false;
  try {
    if (main && cfg.eval.at_start && s.state.step == 0) s.validate(/*baseline=*/true);
    while (s.state.step < total) {
      if (agreedStop || (!s.dist && (stop_ || stopSignalReceived()))) break;
      const auto t0 = Clock::now();
      const bool rl = s.inStageTwo();
      if (rl && !s.reference) {
        s.makeReference();
        log::training()->info("run {}: stage 2 (GRPO) from step {}", s.runId, s.state.step);
      }
      const bool coldStart = !rl && s.state.step < cfg.sft.cold_start_steps;
      if (!rl && cfg.sft.cold_start_steps > 0 && s.state.step == cfg.sft.cold_start_steps)
        log::training()->info("run {}: SFT cold start done at step {}; contrastive terms on", s.runId, s.state.step);
      const double lr = s.schedule->lr() * (rl ? cfg.grpo.lr_scale : 1.0);
      for (auto& g : s.optimizer->param_groups()) static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
      s.optimizer->zero_grad();

      std::map<std::string, double> sums;
      int64_t samples = 0;
      // A non-finite loss is not thrown at once: the other ranks are in the
      // same collectives and must learn it at the agreement below.
      std::string nonFinite;
      for (int a = 0; a < cfg.optim.accumulation; ++a) {
        const TripletBatch batch = s.loader->next();
        samples += batch.query.size() * s.worldSize();
        if (autocast) {
          at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
          at::autocast::set_enabled(true);
        }
        // Ranks sample different traces for their different queries.
        const uint64_t seed = static_cast<uint64_t>(cfg.seed) * 1000003u +
                              static_cast<uint64_t>(s.state.step * cfg.optim.accumulation + a) +
                              (s.dist ? static_cast<uint64_t>(s.dist->rank()) * 0x9E3779B97F4A7C15ull : 0u);
        LossParts parts =
            rl ? stageTwoLoss(*s.model, *s.reference, *s.scale, batch, cfg, *s.tokenizer, seed, s.dist.get())
               : stageOneLoss(*s.model, *s.scale, batch, cfg, s.dist.get(), coldStart);
        if (autocast) {
          at::autocast::set_enabled(false);
          at::autocast::clear_cache();
        }
        torch::Tensor loss = parts.total / static_cast<double>(cfg.optim.accumulation);
        if (s.hooks.alterLoss) s.hooks.alterLoss(s.state.step, loss);
        const double local = loss.item<double>() * cfg.optim.accumulation;
        // Data parallel, `total` is only this rank's share; `value` is the global loss.
        const double value = s.dist ? parts.value : local;
        if (!std::isfinite(local) || !std::isfinite(value)) {
          if (nonFinite.empty()) {
            std::string detail;
            for (const auto& [k, v] : parts.numbers)
              if (k.rfind("loss_", 0) == 0) detail += " " + k + "=" + std::to_string(v);
            nonFinite = "non-finite loss (" + std::to_string(std::isfinite(local) ? value : local) + ") at step " +
                        std::to_string(s.state.step + 1) +
                        (s.dist ? " on rank " + std::to_string(s.dist->rank()) : "") + ";" + detail;
          }
          if (!s.dist) break;
          continue;
        }
        loss.backward();
        sums[event_key::kLoss] += value;
        for (const auto& [k, v] : parts.numbers) sums[k] += v;
      }
      for (auto& [k, v] : sums) v /= cfg.optim.accumulation;
      bool anyBad = !nonFinite.empty();
      std::tie(agreedStop, anyBad) = s.reduceGradients(stop_ || stopSignalReceived(), anyBad);
      if (anyBad) {
        if (nonFinite.empty())
          nonFinite = "non-finite loss at step " + std::to_string(s.state.step + 1) + " on another rank (see its log)";
        throw FormatError(nonFinite + (s.lastCheckpointStep >= 0
                                           ? "; last good checkpoint: step " + std::to_string(s.lastCheckpointStep)
                                           : "; no checkpoint yet"));
      }

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
      if (main) {
        std::vector<MetricPoint> points;
        for (const auto& [k, v] : sums) points.push_back({s.state.step, "train/" + k, v, 0});
        store.appendMetrics(s.runId, points);
        store.setProgress(s.runId, s.state.step, total);  // also the heartbeat
      }
      TrainEvent e = TrainEvent::make(TrainEventKind::Step, s.state.step);
      e.numbers = sums;
      e.numbers[event_key::kEtaS] = stepSecondsAvg * static_cast<double>(total - s.state.step);
      e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
      s.emit(e);

      const bool last = s.state.step == total;
      // Other ranks run on into the next step's collectives and wait there.
      if (main) {
        if (last || (cfg.eval.every > 0 && s.state.step % cfg.eval.every == 0)) s.validate();
        if (s.lastCheckpointStep != s.state.step &&
            (last || (cfg.checkpoint.every > 0 && s.state.step % cfg.checkpoint.every == 0)))
          s.saveCheckpoint(false, std::nullopt);
      }
      if (s.hooks.afterStep) s.hooks.afterStep(s.state.step);
    }
  } catch (const std::exception& ex) {
    const std::string message = ex.what();
    log::training()->error("run {} failed: {}", s.runId, message);
    TrainEvent e = TrainEvent::make(TrainEventKind::Error, s.state.step);
    e.strings[event_key::kMessage] = message;
    s.emit(e);
    if (main) store.setStatus(s.runId, RunStatus::Failed, message);
    return TrainOutcome::Failed;
  }

  if (s.state.step < total) {
    if (main && s.lastCheckpointStep != s.state.step) s.saveCheckpoint(false, std::nullopt);
    const std::string message = "stopped at step " + std::to_string(s.state.step) + " of " + std::to_string(total);
    if (main) store.setStatus(s.runId, RunStatus::Stopped, message);
    TrainEvent e = TrainEvent::make(TrainEventKind::Stopped, s.state.step);
    e.strings[event_key::kMessage] = message;
    s.emit(e);
    log::training()->info("run {}: {}", s.runId, message);
    if (s.dist) s.dist->barrier();  // rank 0 hosts the store: leave together
    return TrainOutcome::Stopped;
  }
  writeRankWeightsIfAsked(*s.model, *s.scale, s.dist ? s.dist->rank() : 0);
  if (s.dist) s.dist->barrier();
  if (main) store.setStatus(s.runId, RunStatus::Completed, "");
  TrainEvent e = TrainEvent::make(TrainEventKind::Completed, s.state.step);
  if (s.state.bestMetric) e.numbers[kHeadlineMetric] = *s.state.bestMetric;
  s.emit(e);
  return TrainOutcome::Completed;
}

}  // namespace moon
