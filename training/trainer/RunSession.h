#pragma once
// A training run's record while it trains: its row in the workspace's store
// (status, progress — which is also the heartbeat —, metrics, best metric,
// checkpoints), its event stream (runs/<id>/events.jsonl and the caller's
// onEvent hook) and its log file (runs/<id>/train.log).
//
// Data parallel, only the main rank (rank 0) keeps the record: on the other
// ranks every call is a no-op, so the training loop needs no rank checks.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "training/TrainConfig.h"
#include "training/events/TrainEvent.h"

namespace moon {

// The configuration a run trains with: `config` for a new run, the stored
// one when resuming `resumeRunId` (> 0), with `steps` (> 0) replacing the
// step count either way. Throws ConfigError for an unknown run, a run that is
// still running, or a completed run without more steps (the status is checked
// on the main rank only: it may mark the run running while the others read).
TrainConfig runConfigFor(const RunStore& store, const TrainConfig& config, int64_t resumeRunId, int64_t steps,
                         bool main);

class RunSession {
 public:
  // New run (`resumeRunId` 0): records `config` under `name` and returns its
  // id. Resumed run: stores the (possibly extended) config again. Main rank
  // only; other ranks get 0 and learn the id from rank 0.
  static int64_t prepareRun(Workspace& workspace, const TrainConfig& config, const std::string& name,
                            int64_t resumeRunId, bool main);

  // Opens the run's folders, log and event files (main rank).
  RunSession(Workspace& workspace, int64_t runId, bool main, std::function<void(const TrainEvent&)> onEvent);
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  int64_t runId() const { return runId_; }
  bool main() const { return main_; }
  const std::filesystem::path& runDir() const { return runDir_; }
  Workspace& workspace() { return workspace_; }

  void emit(const TrainEvent& event);
  // Status running on this host, progress, and a "started" event.
  void started(int64_t step, int64_t total, const std::string& device);
  // "train/<key>" metrics of the step in one transaction, progress, and a "step" event.
  void stepDone(int64_t step, int64_t total, const std::map<std::string, double>& numbers, double etaSeconds);
  // Validation metrics (already prefixed, "val/…") and an "eval" event.
  void validated(int64_t step, const std::map<std::string, double>& metrics);
  // The validation step's trace groups and cosine histograms (ValidationSamples.h).
  void storeValidationSamples(int64_t step, const std::string& samplesJson);
  void setBest(const std::string& metric, double value);
  // Records a written checkpoint folder `dir` (a subfolder of checkpoints/)
  // and emits a "checkpoint" event. A plain checkpoint at the best step keeps the flag.
  void checkpointWritten(int64_t step, const std::filesystem::path& dir, std::optional<double> metric, bool best);
  void failed(int64_t step, const std::string& message);
  void stopped(int64_t step, const std::string& message);
  void completed(int64_t step, std::optional<double> bestMetric);

 private:
  Workspace& workspace_;
  int64_t runId_;
  bool main_;
  std::function<void(const TrainEvent&)> onEvent_;
  std::filesystem::path runDir_;
  std::ofstream events_;
  std::unique_ptr<ScopedLogSink> logFile_;
};

}  // namespace moon
