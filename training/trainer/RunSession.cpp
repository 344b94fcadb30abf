#include "training/trainer/RunSession.h"

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "training/eval/ValidationRetrieval.h"

namespace moon {
namespace fs = std::filesystem;

TrainConfig runConfigFor(const RunStore& store, const TrainConfig& config, int64_t resumeRunId, int64_t steps,
                         bool main) {
  TrainConfig cfg = config;
  if (resumeRunId > 0) {
    const auto run = store.run(resumeRunId);
    const std::string who = "run " + std::to_string(resumeRunId);
    if (!run) throw ConfigError(who + ": no such run in " + store.path());
    if (main && run->status == RunStatus::Running)
      throw ConfigError(who + ": the run is still running (pid " + std::to_string(run->pid) + " on " + run->host + ")");
    if (main && run->status == RunStatus::Completed && steps <= 0)
      throw ConfigError(who + ": the run already completed (give a larger step count to extend it)");
    const nlohmann::json stored = nlohmann::json::parse(run->configJson, nullptr, /*allow_exceptions=*/false);
    if (stored.is_discarded()) throw FormatError(who + ": the config stored in " + store.path() + " is not valid JSON");
    cfg = configFromJson<TrainConfig>(stored, who + " config");
  }
  if (steps > 0) cfg.steps = steps;
  if (cfg.data.empty()) throw ConfigError("config key 'data': no dataset folder given");
  validateTrainConfig(cfg);
  return cfg;
}

int64_t RunSession::prepareRun(Workspace& workspace, const TrainConfig& config, const std::string& name,
                               int64_t resumeRunId, bool main) {
  if (!main) return resumeRunId;
  const std::string configJson = configToJson(config).dump(2);
  if (resumeRunId > 0) {
    workspace.store().setConfigJson(resumeRunId, configJson);
    writeFileAtomically(workspace.configPath(resumeRunId).string(), configJson + "\n");
    return resumeRunId;
  }
  RunRecord rec;
  rec.name = name.empty() ? config.preset + " run" : name;
  rec.preset = config.preset;
  rec.configJson = configJson;
  rec.stepsTotal = config.steps;
  return workspace.createRun(rec);
}

RunSession::RunSession(Workspace& workspace, int64_t runId, bool main, std::function<void(const TrainEvent&)> onEvent)
    : workspace_(workspace),
      runId_(runId),
      main_(main),
      onEvent_(std::move(onEvent)),
      runDir_(workspace.runDir(runId)) {
  if (!main_) return;
  fs::create_directories(workspace.checkpointsDir(runId));
  logFile_ = openRunLogFile(workspace.logPath(runId).string());
  events_.open(workspace.eventsPath(runId), std::ios::app);
}

RunSession::~RunSession() = default;

void RunSession::emit(const TrainEvent& event) {
  if (!main_) return;
  if (events_) events_ << event.toJsonLine() << '\n' << std::flush;
  if (onEvent_) onEvent_(event);
}

void RunSession::started(int64_t step, int64_t total, const std::string& device) {
  if (!main_) return;
  workspace_.store().markRunning(runId_, device);
  workspace_.store().setProgress(runId_, step, total);
  TrainEvent e = TrainEvent::make(TrainEventKind::Started, step);
  e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
  e.strings[event_key::kRunId] = std::to_string(runId_);
  e.strings[event_key::kPath] = runDir_.string();
  emit(e);
}

void RunSession::stepDone(int64_t step, int64_t total, const std::map<std::string, double>& numbers,
                          double etaSeconds) {
  if (!main_) return;
  std::vector<MetricPoint> points;
  for (const auto& [k, v] : numbers) points.push_back({step, "train/" + k, v, 0});
  workspace_.store().appendMetrics(runId_, points);
  workspace_.store().setProgress(runId_, step, total);  // also the heartbeat
  TrainEvent e = TrainEvent::make(TrainEventKind::Step, step);
  e.numbers = numbers;
  e.numbers[event_key::kEtaS] = etaSeconds;
  e.numbers[event_key::kTotalSteps] = static_cast<double>(total);
  emit(e);
}

void RunSession::validated(int64_t step, const std::map<std::string, double>& metrics) {
  if (!main_) return;
  std::vector<MetricPoint> points;
  TrainEvent e = TrainEvent::make(TrainEventKind::Eval, step);
  for (const auto& [k, v] : metrics) {
    points.push_back({step, k, v, 0});
    e.numbers[k] = v;
  }
  workspace_.store().appendMetrics(runId_, points);
  emit(e);
}

void RunSession::storeValidationSamples(int64_t step, const std::string& samplesJson) {
  if (main_) workspace_.store().putValidationSamples(runId_, step, samplesJson);
}

void RunSession::setBest(const std::string& metric, double value) {
  if (main_) workspace_.store().setBestMetric(runId_, metric, value);
}

void RunSession::checkpointWritten(int64_t step, const fs::path& dir, std::optional<double> metric, bool best) {
  if (!main_) return;
  CheckpointRecord rec;
  rec.runId = runId_;
  rec.step = step;
  rec.path = (fs::path("checkpoints") / dir.filename()).string();
  rec.metric = metric;
  rec.isBest = best;
  // A later plain checkpoint at the best step must not drop the flag.
  if (!best)
    for (const auto& old : workspace_.store().checkpoints(runId_))
      if (old.step == step && old.isBest) {
        rec.isBest = true;
        rec.metric = old.metric;
      }
  workspace_.store().addCheckpoint(rec);
  TrainEvent e = TrainEvent::make(TrainEventKind::Checkpoint, step);
  e.strings[event_key::kPath] = dir.string();
  if (metric) e.numbers[kHeadlineMetric] = *metric;
  e.numbers["best"] = rec.isBest ? 1 : 0;
  emit(e);
}

void RunSession::failed(int64_t step, const std::string& message) {
  TrainEvent e = TrainEvent::make(TrainEventKind::Error, step);
  e.strings[event_key::kMessage] = message;
  emit(e);
  if (main_) workspace_.store().setStatus(runId_, RunStatus::Failed, message);
}

void RunSession::stopped(int64_t step, const std::string& message) {
  if (main_) workspace_.store().setStatus(runId_, RunStatus::Stopped, message);
  TrainEvent e = TrainEvent::make(TrainEventKind::Stopped, step);
  e.strings[event_key::kMessage] = message;
  emit(e);
}

void RunSession::completed(int64_t step, std::optional<double> bestMetric) {
  if (main_) workspace_.store().setStatus(runId_, RunStatus::Completed, "");
  TrainEvent e = TrainEvent::make(TrainEventKind::Completed, step);
  if (bestMetric) e.numbers[kHeadlineMetric] = *bestMetric;
  emit(e);
}

}  // namespace moon
