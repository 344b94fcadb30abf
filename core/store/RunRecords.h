#pragma once

// Value types of the run store (RunStore). They are plain copies of rows, so
// they can cross threads and processes freely. Times are wall-clock seconds
// since the Unix epoch (what time(2) counts, with a fraction).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace moon {

// queued: created, not started. running: a process is training it.
// stopped: the user stopped it (resumable). completed / failed: ended.
// interrupted: its process vanished without saying so (killed, crashed).
enum class RunStatus { Queued, Running, Stopped, Completed, Failed, Interrupted };

// "queued", "running", "stopped", "completed", "failed", "interrupted".
const char* runStatusName(RunStatus status);
std::optional<RunStatus> parseRunStatus(const std::string& name);
// Stopped, completed, failed or interrupted: no process is working on it.
bool isFinished(RunStatus status);

struct RunRecord {
  int64_t id = 0;  // assigned by RunStore::createRun
  std::string name;
  RunStatus status = RunStatus::Queued;
  std::string preset;             // model preset ("micro", "tiny", ...)
  std::string configJson = "{}";  // the full resolved configuration
  double createdAt = 0;           // 0 = "now" when passed to createRun
  std::optional<double> startedAt;
  std::optional<double> finishedAt;
  std::optional<double> heartbeatAt;  // last sign of life from the run's process
  std::string host;                   // machine running (or last running) it
  std::string device;                 // "cpu", "cuda:0", ...
  int64_t pid = 0;                    // process on `host`; 0 when none yet
  std::string runDir;                 // relative to the workspace, e.g. "runs/7"
  int64_t stepsDone = 0;
  int64_t stepsTotal = 0;
  std::string bestMetricName;  // e.g. "val/R@10"; empty when none yet
  std::optional<double> bestMetric;
  std::string message;  // last status message (error text for failed runs)
};

// One scalar logged by a run at a step ("loss/total", "lr", "val/R@10", ...).
struct MetricPoint {
  int64_t step = 0;
  std::string key;
  double value = 0;     // NaN is kept (a diverged loss must not break logging)
  double wallTime = 0;  // 0 = "now" when appended
};

struct CheckpointRecord {
  int64_t runId = 0;
  int64_t step = 0;
  std::string path;  // relative to the run folder, e.g. "checkpoints/step-1000"
  std::optional<double> metric;
  bool isBest = false;
  double createdAt = 0;  // 0 = "now" when added
};

struct EvaluationRecord {
  int64_t id = 0;  // assigned by RunStore::addEvaluation
  int64_t runId = 0;
  std::optional<int64_t> checkpointStep;  // none: evaluated the in-memory model
  std::string split;                      // "val", "test", ...
  std::string resultsJson = "{}";
  double createdAt = 0;  // 0 = "now" when added
};

// For `--json` output and the GUI: every field, times as numbers, nulls for
// missing optionals, the config parsed back into an object.
nlohmann::json toJson(const RunRecord& run);

}  // namespace moon
