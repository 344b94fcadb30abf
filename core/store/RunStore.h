#pragma once

// The workspace's run store: one SQLite database (WAL mode) holding runs,
// their metrics, checkpoints and evaluations. A training process writes while
// the GUI (another process) reads; readers never block the writer, and writes
// from several processes take turns: BEGIN IMMEDIATE transactions are retried
// on SQLITE_BUSY (on top of SQLite's busy timeout), so "database is locked"
// only reaches the caller if another process holds the lock for over a minute.
//
// All SQL uses bound parameters. Errors throw moon::Error subclasses whose
// message starts with the database path. One RunStore may be shared between
// threads (calls are serialised by a mutex); open one per thread for
// parallel reads.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/store/RunRecords.h"

namespace moon {

class SqliteConnection;

class RunStore {
 public:
  // Opens the database (creating it when `create`), switches it to WAL and
  // applies pending schema migrations.
  explicit RunStore(const std::string& dbPath, bool create = true);
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  const std::string& path() const { return path_; }
  int schemaVersion() const;

  // --- runs ---------------------------------------------------------------
  // Inserts `run` (its id is ignored) and returns the new id.
  int64_t createRun(const RunRecord& run);
  std::optional<RunRecord> run(int64_t runId) const;
  // Oldest first.
  std::vector<RunRecord> listRuns() const;

  // Sets the status and message. Becoming running records started_at (first
  // time only) and clears finished_at; a finished status records finished_at.
  // Updates below throw Error when the run does not exist.
  void setStatus(int64_t runId, RunStatus status, const std::string& message = "");
  // Called by the process that trains the run: status running, this host and
  // pid, the device, and a heartbeat.
  void markRunning(int64_t runId, const std::string& device);
  // Also counts as a heartbeat.
  void setProgress(int64_t runId, int64_t stepsDone, int64_t stepsTotal);
  void heartbeat(int64_t runId);
  void setBestMetric(int64_t runId, const std::string& name, double value);
  void setConfigJson(int64_t runId, const std::string& configJson);
  void setRunDir(int64_t runId, const std::string& runDir);
  // Deletes the run and (by cascade) its metrics, checkpoints, evaluations.
  // Returns false when there was no such run. Files are the Workspace's job.
  bool deleteRun(int64_t runId);

  // A run still "running" on this host whose process no longer exists (it was
  // SIGKILLed or crashed) becomes "interrupted". Returns the ids it changed.
  std::vector<int64_t> markDeadRunsInterrupted();

  // --- metrics ------------------------------------------------------------
  // In one transaction. A point for a (key, step) already stored replaces it
  // (a resumed run re-logs the steps after its checkpoint).
  void appendMetrics(int64_t runId, const std::vector<MetricPoint>& points);
  // Points of `key` with step > afterStep, by step: pass the last step seen
  // to read incrementally.
  // At most `limit` points (0: all), by increasing step.
  std::vector<MetricPoint> metrics(int64_t runId, const std::string& key, int64_t afterStep = -1,
                                   std::size_t limit = 0) const;
  // Sorted.
  std::vector<std::string> metricKeys(int64_t runId) const;

  // --- checkpoints --------------------------------------------------------
  // Replaces a checkpoint at the same step. When `isBest`, the run's other
  // checkpoints lose the flag.
  void addCheckpoint(const CheckpointRecord& checkpoint);
  // By step.
  std::vector<CheckpointRecord> checkpoints(int64_t runId) const;
  // Returns false when there was none at that step.
  bool removeCheckpoint(int64_t runId, int64_t step);

  // --- evaluations --------------------------------------------------------
  int64_t addEvaluation(const EvaluationRecord& evaluation);
  // Oldest first.
  std::vector<EvaluationRecord> evaluations(int64_t runId) const;

  // --- validation samples -------------------------------------------------
  // One JSON document per validation step (the trainer's sampled trace
  // groups and cosine histograms, training/eval/ValidationSamples.h); a
  // document at the same step replaces it (a resumed run re-validates).
  void putValidationSamples(int64_t runId, int64_t step, const std::string& samplesJson);
  // Ascending.
  std::vector<int64_t> validationSampleSteps(int64_t runId) const;
  std::optional<std::string> validationSamples(int64_t runId, int64_t step) const;

  // This machine's name as stored in RunRecord::host.
  static std::string thisHost();

 private:
  template <class F>
  auto retrying(const char* what, F&& body) const;
  template <class F>
  void writeTransaction(const char* what, F&& body);
  void requireChanged(int64_t runId) const;
  void requireRunExists(int64_t runId) const;

  std::string path_;
  mutable std::mutex mutex_;  // guards db_ (one statement or transaction at a time)
  std::unique_ptr<SqliteConnection> db_;
};

}  // namespace moon
