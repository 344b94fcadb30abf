#include "core/store/RunStore.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

#include <sys/types.h>
#include <unistd.h>

#include "core/base/Logging.h"
#include "core/store/SchemaMigrations.h"
#include "core/store/SqliteConnection.h"
#include "core/store/SqliteStatement.h"

namespace moon {
namespace {

// How long a call keeps retrying while other processes hold the write lock.
// Transactions here last milliseconds, so reaching this means a stuck process.
constexpr std::chrono::seconds kMaxLockWait{60};

constexpr const char* kRunColumns =
    "id, name, status, preset, config_json, created_at, started_at, finished_at, heartbeat_at, host, device, pid, "
    "run_dir, steps_done, steps_total, best_metric_name, best_metric, message";

double now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

double orNow(double t) { return t > 0 ? t : now(); }

bool isProcessAlive(int64_t pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) == 0) return true;
  return errno == EPERM;  // exists, owned by someone else
}

RunRecord readRun(const SqliteStatement& st, const std::string& dbPath) {
  RunRecord r;
  r.id = st.columnInt(0);
  r.name = st.columnText(1);
  const std::string status = st.columnText(2);
  const auto parsed = parseRunStatus(status);
  if (!parsed) throw FormatError(dbPath + ": run " + std::to_string(r.id) + " has an unknown status '" + status + "'");
  r.status = *parsed;
  r.preset = st.columnText(3);
  r.configJson = st.columnText(4);
  r.createdAt = st.columnDouble(5);
  r.startedAt = st.columnOptionalDouble(6);
  r.finishedAt = st.columnOptionalDouble(7);
  r.heartbeatAt = st.columnOptionalDouble(8);
  r.host = st.columnText(9);
  r.device = st.columnText(10);
  r.pid = st.columnInt(11);
  r.runDir = st.columnText(12);
  r.stepsDone = st.columnInt(13);
  r.stepsTotal = st.columnInt(14);
  r.bestMetricName = st.columnText(15);
  r.bestMetric = st.columnOptionalDouble(16);
  r.message = st.columnText(17);
  return r;
}

}  // namespace

// Runs `body` again after SQLITE_BUSY/LOCKED (it must be safe to repeat: a
// failed transaction has been rolled back), with a growing pause.
template <class F>
auto RunStore::retrying(const char* what, F&& body) const {
  const auto deadline = std::chrono::steady_clock::now() + kMaxLockWait;
  std::chrono::milliseconds pause{1};
  for (;;) {
    try {
      return body();
    } catch (const SqliteBusyError&) {
      if (std::chrono::steady_clock::now() > deadline)
        throw IoError(path_ + ": another process kept the database locked for over " +
                      std::to_string(kMaxLockWait.count()) + " s while " + what);
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(100));
    }
  }
}

// BEGIN IMMEDIATE takes the write lock up front, so a transaction never has
// to upgrade a read lock (the case SQLite cannot wait out with busy_timeout).
template <class F>
void RunStore::writeTransaction(const char* what, F&& body) {
  retrying(what, [&] {
    db_->exec("BEGIN IMMEDIATE");
    try {
      body();
      db_->exec("COMMIT");
    } catch (...) {
      try {
        db_->exec("ROLLBACK");
      } catch (const Error&) {
        // SQLite already rolled back (some errors do that); nothing left to undo.
      }
      throw;
    }
  });
}

void RunStore::requireChanged(int64_t runId) const {
  if (db_->changes() == 0) throw Error(path_ + ": no run with id " + std::to_string(runId));
}

// A clearer message than SQLite's "FOREIGN KEY constraint failed".
void RunStore::requireRunExists(int64_t runId) const {
  SqliteStatement st(*db_, "SELECT 1 FROM runs WHERE id = ?");
  st.bindAll(runId);
  if (!st.step()) throw Error(path_ + ": no run with id " + std::to_string(runId));
}

RunStore::RunStore(const std::string& dbPath, bool create) : path_(dbPath) {
  db_ = std::make_unique<SqliteConnection>(path_, create);
  const std::string mode = retrying("switching to WAL mode", [&] {
    SqliteStatement st(*db_, "PRAGMA journal_mode = WAL");
    return st.step() ? st.columnText(0) : std::string();
  });
  if (mode != "wal")
    log::core()->warn(
        "{}: journal mode is '{}', not WAL (file system without shared memory?); "
        "concurrent readers will wait for writers",
        path_, mode);
  // In WAL mode NORMAL is crash-safe for the application; it skips an fsync per commit.
  db_->exec("PRAGMA synchronous = NORMAL");
  writeTransaction("updating the schema", [&] { migrateSchema(*db_); });
}

RunStore::~RunStore() = default;

int RunStore::schemaVersion() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading the schema version", [&] {
    SqliteStatement st(*db_, "PRAGMA user_version");
    return st.step() ? static_cast<int>(st.columnInt(0)) : 0;
  });
}

std::string RunStore::thisHost() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

// --- runs -------------------------------------------------------------------

int64_t RunStore::createRun(const RunRecord& run) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t id = 0;
  writeTransaction("creating a run", [&] {
    SqliteStatement st(*db_,
                       "INSERT INTO runs (name, status, preset, config_json, created_at, started_at, finished_at, "
                       "heartbeat_at, host, device, pid, run_dir, steps_done, steps_total, best_metric_name, "
                       "best_metric, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    st.bindAll(run.name, std::string(runStatusName(run.status)), run.preset, run.configJson, orNow(run.createdAt),
               run.startedAt, run.finishedAt, run.heartbeatAt, run.host, run.device, run.pid, run.runDir, run.stepsDone,
               run.stepsTotal, run.bestMetricName, run.bestMetric, run.message);
    st.run();
    id = db_->lastInsertRowId();
  });
  return id;
}

std::optional<RunRecord> RunStore::run(int64_t runId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading a run", [&]() -> std::optional<RunRecord> {
    SqliteStatement st(*db_, (std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?").c_str());
    st.bindAll(runId);
    if (!st.step()) return std::nullopt;
    return readRun(st, path_);
  });
}

std::vector<RunRecord> RunStore::listRuns() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("listing runs", [&] {
    SqliteStatement st(*db_, (std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id").c_str());
    std::vector<RunRecord> runs;
    while (st.step()) runs.push_back(readRun(st, path_));
    return runs;
  });
}

void RunStore::setStatus(int64_t runId, RunStatus status, const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("updating a run's status", [&] {
    SqliteStatement st(*db_,
                       "UPDATE runs SET status = ?1, message = ?2, "
                       "started_at = CASE WHEN ?1 = 'running' THEN COALESCE(started_at, ?3) ELSE started_at END, "
                       "finished_at = CASE WHEN ?1 IN ('running', 'queued') THEN NULL ELSE ?3 END "
                       "WHERE id = ?4");
    st.bindAll(std::string(runStatusName(status)), message, now(), runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::markRunning(int64_t runId, const std::string& device) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("marking a run as running", [&] {
    SqliteStatement st(*db_,
                       "UPDATE runs SET status = 'running', message = '', host = ?1, pid = ?2, device = ?3, "
                       "started_at = COALESCE(started_at, ?4), finished_at = NULL, heartbeat_at = ?4 WHERE id = ?5");
    st.bindAll(thisHost(), static_cast<int64_t>(::getpid()), device, now(), runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::setProgress(int64_t runId, int64_t stepsDone, int64_t stepsTotal) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("updating a run's progress", [&] {
    SqliteStatement st(*db_, "UPDATE runs SET steps_done = ?, steps_total = ?, heartbeat_at = ? WHERE id = ?");
    st.bindAll(stepsDone, stepsTotal, now(), runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::heartbeat(int64_t runId) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("recording a heartbeat", [&] {
    SqliteStatement st(*db_, "UPDATE runs SET heartbeat_at = ? WHERE id = ?");
    st.bindAll(now(), runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::setBestMetric(int64_t runId, const std::string& name, double value) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("updating a run's best metric", [&] {
    SqliteStatement st(*db_, "UPDATE runs SET best_metric_name = ?, best_metric = ? WHERE id = ?");
    st.bindAll(name, value, runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::setConfigJson(int64_t runId, const std::string& configJson) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("updating a run's configuration", [&] {
    SqliteStatement st(*db_, "UPDATE runs SET config_json = ? WHERE id = ?");
    st.bindAll(configJson, runId);
    st.run();
    requireChanged(runId);
  });
}

void RunStore::setRunDir(int64_t runId, const std::string& runDir) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("updating a run's folder", [&] {
    SqliteStatement st(*db_, "UPDATE runs SET run_dir = ? WHERE id = ?");
    st.bindAll(runDir, runId);
    st.run();
    requireChanged(runId);
  });
}

bool RunStore::deleteRun(int64_t runId) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool deleted = false;
  writeTransaction("deleting a run", [&] {
    SqliteStatement st(*db_, "DELETE FROM runs WHERE id = ?");
    st.bindAll(runId);
    st.run();
    deleted = db_->changes() > 0;
  });
  return deleted;
}

std::vector<int64_t> RunStore::markDeadRunsInterrupted() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<int64_t> changed;
  const std::string host = thisHost();
  writeTransaction("checking for dead runs", [&] {
    changed.clear();
    std::vector<std::pair<int64_t, int64_t>> dead;  // (run id, pid)
    {
      SqliteStatement st(*db_, "SELECT id, pid FROM runs WHERE status = 'running' AND host = ?");
      st.bindAll(host);
      while (st.step())
        if (!isProcessAlive(st.columnInt(1))) dead.emplace_back(st.columnInt(0), st.columnInt(1));
    }
    SqliteStatement update(*db_,
                           "UPDATE runs SET status = 'interrupted', message = ?, "
                           "finished_at = COALESCE(heartbeat_at, ?) WHERE id = ? AND status = 'running'");
    for (const auto& [id, pid] : dead) {
      const std::string message = pid > 0 ? "its process (pid " + std::to_string(pid) + " on " + host +
                                                ") ended without a final status: killed or crashed"
                                          : "marked running on " + host + " without a process id";
      update.reset();
      update.bindAll(message, now(), id);
      update.run();
      if (db_->changes() > 0) changed.push_back(id);
    }
  });
  for (int64_t id : changed) log::core()->info("{}: run {} was interrupted (its process is gone)", path_, id);
  return changed;
}

// --- metrics ----------------------------------------------------------------

void RunStore::appendMetrics(int64_t runId, const std::vector<MetricPoint>& points) {
  if (points.empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const double wallNow = now();
  writeTransaction("appending metrics", [&] {
    requireRunExists(runId);
    SqliteStatement st(*db_,
                       "INSERT INTO metrics (run_id, step, key, value, wall_time) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, "
                       "wall_time = excluded.wall_time");
    for (const auto& p : points) {
      st.reset();
      st.bindAll(runId, p.step, p.key, p.value, p.wallTime > 0 ? p.wallTime : wallNow);
      st.run();
    }
  });
}

std::vector<MetricPoint> RunStore::metrics(int64_t runId, const std::string& key, int64_t afterStep,
                                           std::size_t limit) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading metrics", [&] {
    SqliteStatement st(*db_,
                       "SELECT step, value, wall_time FROM metrics WHERE run_id = ? AND key = ? AND step > ? "
                       "ORDER BY step LIMIT ?");
    st.bindAll(runId, key, afterStep, limit == 0 ? int64_t(-1) : int64_t(limit));  // LIMIT -1: no limit
    std::vector<MetricPoint> points;
    while (st.step()) points.push_back({st.columnInt(0), key, st.columnDouble(1), st.columnDouble(2)});
    return points;
  });
}

std::vector<std::string> RunStore::metricKeys(int64_t runId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading metric keys", [&] {
    // A skip-scan over the (run_id, key, step) index: one seek per key, where
    // SELECT DISTINCT visits every row of the run (1.1 s against 2 ms at 10 M
    // rows; bench_store). The Runs view asks at every poll.
    SqliteStatement st(*db_,
                       "WITH RECURSIVE k(key) AS ("
                       "  SELECT (SELECT MIN(key) FROM metrics WHERE run_id = ?1)"
                       "  UNION ALL"
                       "  SELECT (SELECT MIN(key) FROM metrics WHERE run_id = ?1 AND key > k.key) FROM k"
                       "  WHERE k.key IS NOT NULL)"
                       "SELECT key FROM k WHERE key IS NOT NULL");
    st.bindAll(runId);
    std::vector<std::string> keys;
    while (st.step()) keys.push_back(st.columnText(0));
    return keys;
  });
}

// --- checkpoints ------------------------------------------------------------

void RunStore::addCheckpoint(const CheckpointRecord& c) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("adding a checkpoint", [&] {
    requireRunExists(c.runId);
    if (c.isBest) {
      SqliteStatement clear(*db_, "UPDATE checkpoints SET is_best = 0 WHERE run_id = ?");
      clear.bindAll(c.runId);
      clear.run();
    }
    SqliteStatement st(*db_,
                       "INSERT INTO checkpoints (run_id, step, path, metric, is_best, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, step) DO UPDATE SET path = excluded.path, "
                       "metric = excluded.metric, is_best = excluded.is_best, created_at = excluded.created_at");
    st.bindAll(c.runId, c.step, c.path, c.metric, c.isBest, orNow(c.createdAt));
    st.run();
  });
}

std::vector<CheckpointRecord> RunStore::checkpoints(int64_t runId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading checkpoints", [&] {
    SqliteStatement st(*db_,
                       "SELECT step, path, metric, is_best, created_at FROM checkpoints WHERE run_id = ? "
                       "ORDER BY step");
    st.bindAll(runId);
    std::vector<CheckpointRecord> out;
    while (st.step())
      out.push_back({runId, st.columnInt(0), st.columnText(1), st.columnOptionalDouble(2), st.columnInt(3) != 0,
                     st.columnDouble(4)});
    return out;
  });
}

bool RunStore::removeCheckpoint(int64_t runId, int64_t step) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool removed = false;
  writeTransaction("removing a checkpoint", [&] {
    SqliteStatement st(*db_, "DELETE FROM checkpoints WHERE run_id = ? AND step = ?");
    st.bindAll(runId, step);
    st.run();
    removed = db_->changes() > 0;
  });
  return removed;
}

// --- evaluations ------------------------------------------------------------

int64_t RunStore::addEvaluation(const EvaluationRecord& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t id = 0;
  writeTransaction("adding an evaluation", [&] {
    requireRunExists(e.runId);
    SqliteStatement st(*db_,
                       "INSERT INTO evaluations (run_id, checkpoint_step, split, results_json, created_at) "
                       "VALUES (?, ?, ?, ?, ?)");
    st.bindAll(e.runId, e.checkpointStep, e.split, e.resultsJson, orNow(e.createdAt));
    st.run();
    id = db_->lastInsertRowId();
  });
  return id;
}

void RunStore::putValidationSamples(int64_t runId, int64_t step, const std::string& samplesJson) {
  std::lock_guard<std::mutex> lock(mutex_);
  writeTransaction("storing validation samples", [&] {
    requireRunExists(runId);
    SqliteStatement st(*db_,
                       "INSERT OR REPLACE INTO validation_samples (run_id, step, samples_json, created_at) "
                       "VALUES (?, ?, ?, ?)");
    st.bindAll(runId, step, samplesJson, orNow(0));
    st.run();
  });
}

std::vector<int64_t> RunStore::validationSampleSteps(int64_t runId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading validation sample steps", [&] {
    SqliteStatement st(*db_, "SELECT step FROM validation_samples WHERE run_id = ? ORDER BY step");
    st.bindAll(runId);
    std::vector<int64_t> out;
    while (st.step()) out.push_back(st.columnInt(0));
    return out;
  });
}

std::optional<std::string> RunStore::validationSamples(int64_t runId, int64_t step) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading validation samples", [&]() -> std::optional<std::string> {
    SqliteStatement st(*db_, "SELECT samples_json FROM validation_samples WHERE run_id = ? AND step = ?");
    st.bindAll(runId, step);
    if (!st.step()) return std::nullopt;
    return st.columnText(0);
  });
}

std::vector<EvaluationRecord> RunStore::evaluations(int64_t runId) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return retrying("reading evaluations", [&] {
    SqliteStatement st(*db_,
                       "SELECT id, checkpoint_step, split, results_json, created_at FROM evaluations "
                       "WHERE run_id = ? ORDER BY id");
    st.bindAll(runId);
    std::vector<EvaluationRecord> out;
    while (st.step())
      out.push_back(
          {st.columnInt(0), runId, st.columnOptionalInt(1), st.columnText(2), st.columnText(3), st.columnDouble(4)});
    return out;
  });
}

}  // namespace moon
