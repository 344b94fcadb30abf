#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "RunTestUtil.h"
#include "TestFiles.h"
#include "core/base/Error.h"
#include "core/store/RunStore.h"
#include "core/store/SchemaMigrations.h"

using namespace moon;
using moon::test::namedRun;

namespace {

// Raw SQLite access, independent of the code under test.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(message + " in: " + sql);
    }
  }
  // First column of the first row as text ("" when no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A pid that surely belongs to no process: a child that has exited and been reaped.
pid_t deadPid() {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  ::waitpid(pid, nullptr, 0);
  return pid;
}

// The schema as version 1 shipped it, frozen here on purpose: the migration
// test must start from the real old layout, not from today's code.
const char* kVersion1Schema = R"sql(
CREATE TABLE runs (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
  preset TEXT NOT NULL DEFAULT '', config_json TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL,
  started_at REAL, finished_at REAL, host TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '',
  run_dir TEXT NOT NULL DEFAULT '', steps_done INTEGER NOT NULL DEFAULT 0, steps_total INTEGER NOT NULL DEFAULT 0,
  best_metric_name TEXT NOT NULL DEFAULT '', best_metric REAL, message TEXT NOT NULL DEFAULT '');
CREATE TABLE metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  key TEXT NOT NULL, value REAL, wall_time REAL NOT NULL);
CREATE INDEX metrics_run ON metrics(run_id);
CREATE TABLE checkpoints (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step INTEGER NOT NULL, path TEXT NOT NULL, metric REAL, is_best INTEGER NOT NULL DEFAULT 0,
  created_at REAL NOT NULL, UNIQUE (run_id, step));
CREATE TABLE evaluations (id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint_step INTEGER, split TEXT NOT NULL, results_json TEXT NOT NULL, created_at REAL NOT NULL);
CREATE INDEX evaluations_run ON evaluations(run_id);
PRAGMA user_version = 1;
)sql";

std::vector<MetricPoint> ramp(const std::string& key, int64_t from, int64_t to) {
  std::vector<MetricPoint> out;
  for (int64_t s = from; s < to; ++s) out.push_back({s, key, 1.0 / double(s + 1), 1000.0 + double(s)});
  return out;
}

}  // namespace

class TestRunStore : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  int counter_ = 0;
  // A fresh database file per test.
  std::string freshDb() { return dir_.path().toStdString() + "/db" + std::to_string(++counter_) + ".db"; }

 private Q_SLOTS:
  void newDatabaseIsWalAtLatestVersion() {
    const std::string path = freshDb();
    RunStore store(path);
    QCOMPARE(store.schemaVersion(), latestSchemaVersion());
    QVERIFY(latestSchemaVersion() >= 2);
    QCOMPARE(store.path(), path);
    RawDb raw(path);
    QCOMPARE(raw.scalar("PRAGMA journal_mode"), std::string("wal"));
    QCOMPARE(raw.scalar("PRAGMA user_version"), std::to_string(latestSchemaVersion()));
  }

  void createReadAndListRuns() {
    RunStore store(freshDb());
    RunRecord r;
    r.name = "tiny-baseline";
    r.preset = "tiny";
    r.configJson = R"({"optim": {"lr": 0.001}})";
    r.device = "cpu";
    r.stepsTotal = 500;
    r.message = "queued by test";
    const int64_t id = store.createRun(r);
    QVERIFY(id > 0);
    const auto back = store.run(id);
    QVERIFY(back);
    QCOMPARE(back->id, id);
    QCOMPARE(back->name, r.name);
    QCOMPARE(back->status, RunStatus::Queued);
    QCOMPARE(back->preset, r.preset);
    QCOMPARE(back->configJson, r.configJson);
    QCOMPARE(back->device, r.device);
    QCOMPARE(back->stepsTotal, int64_t(500));
    QCOMPARE(back->message, r.message);
    QVERIFY(back->createdAt > 1.6e9);  // "now" was filled in
    QVERIFY(!back->startedAt && !back->finishedAt && !back->heartbeatAt && !back->bestMetric);

    r.name = "second";
    const int64_t id2 = store.createRun(r);
    const auto all = store.listRuns();
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[0].id, id);
    QCOMPARE(all[1].id, id2);
    QVERIFY(!store.run(id2 + 100));
  }

  void statusTransitionsRecordTimes() {
    RunStore store(freshDb());
    const int64_t id = store.createRun({});
    store.markRunning(id, "cuda:0");
    auto r = *store.run(id);
    QCOMPARE(r.status, RunStatus::Running);
    QCOMPARE(r.host, RunStore::thisHost());
    QCOMPARE(r.pid, int64_t(::getpid()));
    QCOMPARE(r.device, std::string("cuda:0"));
    QVERIFY(r.startedAt && r.heartbeatAt && !r.finishedAt);
    const double started = *r.startedAt;

    store.setProgress(id, 40, 100);
    store.setBestMetric(id, "val/R@10", 0.625);
    store.setConfigJson(id, R"({"a": 2})");
    store.setStatus(id, RunStatus::Stopped, "stopped by user");
    r = *store.run(id);
    QCOMPARE(r.stepsDone, int64_t(40));
    QCOMPARE(r.stepsTotal, int64_t(100));
    QCOMPARE(r.bestMetricName, std::string("val/R@10"));
    QCOMPARE(*r.bestMetric, 0.625);
    QCOMPARE(r.configJson, std::string(R"({"a": 2})"));
    QCOMPARE(r.status, RunStatus::Stopped);
    QCOMPARE(r.message, std::string("stopped by user"));
    QVERIFY(r.finishedAt);

    // Resuming keeps the first start time and clears the finish time.
    store.setStatus(id, RunStatus::Running);
    r = *store.run(id);
    QCOMPARE(*r.startedAt, started);
    QVERIFY(!r.finishedAt);
    store.setStatus(id, RunStatus::Failed, "loss is NaN");
    QCOMPARE(store.run(id)->status, RunStatus::Failed);
    QVERIFY(isFinished(RunStatus::Failed) && !isFinished(RunStatus::Running));
  }

  void updatingAMissingRunNamesTheDatabase() {
    const std::string path = freshDb();
    RunStore store(path);
    try {
      store.setStatus(42, RunStatus::Running);
      QFAIL("expected Error");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("no run with id 42") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, store.appendMetrics(42, ramp("loss", 0, 3)));
    QVERIFY_THROWS_EXCEPTION(Error, store.addCheckpoint({42, 10, "checkpoints/step-10", {}, false, 0}));
  }

  void metricsAppendAndIncrementalReads() {
    RunStore store(freshDb());
    const int64_t id = store.createRun({});
    store.appendMetrics(id, ramp("loss/total", 0, 50));
    store.appendMetrics(id, ramp("lr", 0, 5));
    auto all = store.metrics(id, "loss/total");
    QCOMPARE(all.size(), size_t(50));
    QCOMPARE(all[7].step, int64_t(7));
    QCOMPARE(all[7].value, 1.0 / 8);
    QCOMPARE(all[7].wallTime, 1007.0);
    QCOMPARE(all[7].key, std::string("loss/total"));

    const auto tail = store.metrics(id, "loss/total", 44);
    QCOMPARE(tail.size(), size_t(5));
    QCOMPARE(tail.front().step, int64_t(45));
    store.appendMetrics(id, ramp("loss/total", 50, 60));
    QCOMPARE(store.metrics(id, "loss/total", tail.back().step).size(), size_t(10));

    QCOMPARE(store.metricKeys(id), (std::vector<std::string>{"loss/total", "lr"}));
    QVERIFY(store.metrics(id, "nope").empty());
  }

  // metricKeys walks the (run, key, step) index key by key: other runs' keys
  // in between, many steps per key and a run without metrics must not confuse it.
  void metricKeysAreEachRunsOwnSorted() {
    RunStore store(freshDb());
    const int64_t a = store.createRun(namedRun("a"));
    const int64_t b = store.createRun(namedRun("b"));
    const int64_t empty = store.createRun(namedRun("empty"));
    std::vector<MetricPoint> pa, pb;
    for (int k = 0; k < 30; ++k)
      for (int step = 0; step < 20; ++step) {
        const std::string key = "k" + std::to_string(100 + k);
        (k % 2 ? pb : pa).push_back({step, key, double(step), 0});
      }
    pa.push_back({0, "Z upper", 1.0, 0});
    store.appendMetrics(a, pa);
    store.appendMetrics(b, pb);
    std::vector<std::string> expectA = {"Z upper"}, expectB;
    for (int k = 0; k < 30; ++k) (k % 2 ? expectB : expectA).push_back("k" + std::to_string(100 + k));
    QCOMPARE(store.metricKeys(a), expectA);  // byte order, as SQLite's default collation
    QCOMPARE(store.metricKeys(b), expectB);
    QVERIFY(store.metricKeys(empty).empty());
    QVERIFY(store.metricKeys(9999).empty());
  }

  void metricsKeepNanAndReplaceReloggedSteps() {
    RunStore store(freshDb());
    const int64_t id = store.createRun({});
    store.appendMetrics(id, {{0, "loss", std::nan(""), 0}, {1, "loss", 2.0, 0}});
    auto pts = store.metrics(id, "loss");
    QCOMPARE(pts.size(), size_t(2));
    QVERIFY(std::isnan(pts[0].value));
    QVERIFY(pts[0].wallTime > 1.6e9);  // 0 means "now"
    // A resumed run logs step 1 again: the new value wins, no duplicate.
    store.appendMetrics(id, {{1, "loss", 1.5, 0}});
    pts = store.metrics(id, "loss");
    QCOMPARE(pts.size(), size_t(2));
    QCOMPARE(pts[1].value, 1.5);
  }

  void checkpointsAndEvaluations() {
    RunStore store(freshDb());
    const int64_t id = store.createRun({});
    store.addCheckpoint({id, 100, "checkpoints/step-100", 0.5, true, 0});
    store.addCheckpoint({id, 200, "checkpoints/step-200", 0.7, true, 0});
    store.addCheckpoint({id, 300, "checkpoints/step-300", std::nullopt, false, 0});
    auto cps = store.checkpoints(id);
    QCOMPARE(cps.size(), size_t(3));
    QVERIFY(!cps[0].isBest);  // only one best
    QVERIFY(cps[1].isBest);
    QCOMPARE(*cps[1].metric, 0.7);
    QVERIFY(!cps[2].metric);
    QCOMPARE(cps[2].path, std::string("checkpoints/step-300"));
    QVERIFY(cps[0].createdAt > 1.6e9);

    store.addCheckpoint({id, 300, "checkpoints/step-300b", 0.9, false, 5.0});  // same step replaces
    cps = store.checkpoints(id);
    QCOMPARE(cps.size(), size_t(3));
    QCOMPARE(cps[2].path, std::string("checkpoints/step-300b"));
    QCOMPARE(cps[2].createdAt, 5.0);
    QVERIFY(store.removeCheckpoint(id, 100));
    QVERIFY(!store.removeCheckpoint(id, 100));
    QCOMPARE(store.checkpoints(id).size(), size_t(2));

    const int64_t e1 = store.addEvaluation({0, id, 200, "val", R"({"R@10": 0.7})", 0});
    const int64_t e2 = store.addEvaluation({0, id, std::nullopt, "test", R"({"R@10": 0.6})", 0});
    QVERIFY(e2 > e1);
    const auto evals = store.evaluations(id);
    QCOMPARE(evals.size(), size_t(2));
    QCOMPARE(evals[0].id, e1);
    QCOMPARE(*evals[0].checkpointStep, int64_t(200));
    QCOMPARE(evals[0].split, std::string("val"));
    QCOMPARE(evals[1].resultsJson, std::string(R"({"R@10": 0.6})"));
    QVERIFY(!evals[1].checkpointStep);
  }

  void validationSamplesPerStep() {
    RunStore store(freshDb());
    const int64_t id = store.createRun({});
    const int64_t other = store.createRun({});
    QVERIFY(store.validationSampleSteps(id).empty());
    QVERIFY(!store.validationSamples(id, 50));
    store.putValidationSamples(id, 100, R"({"groups": [2]})");
    store.putValidationSamples(id, 50, R"({"groups": [1]})");
    store.putValidationSamples(other, 50, R"({"groups": []})");
    QCOMPARE(store.validationSampleSteps(id), (std::vector<int64_t>{50, 100}));
    QCOMPARE(*store.validationSamples(id, 50), std::string(R"({"groups": [1]})"));
    store.putValidationSamples(id, 50, R"({"groups": [3]})");  // a resumed run re-validates: replaced
    QCOMPARE(*store.validationSamples(id, 50), std::string(R"({"groups": [3]})"));
    QCOMPARE(store.validationSampleSteps(id).size(), size_t(2));
    QVERIFY(!store.validationSamples(id, 75));
    QVERIFY_THROWS_EXCEPTION(Error, store.putValidationSamples(9999, 1, "{}"));
  }

  void deleteRunCascades() {
    const std::string path = freshDb();
    RunStore store(path);
    const int64_t keep = store.createRun({});
    const int64_t drop = store.createRun({});
    for (int64_t id : {keep, drop}) {
      store.appendMetrics(id, ramp("loss", 0, 10));
      store.addCheckpoint({id, 5, "c", {}, false, 0});
      store.addEvaluation({0, id, 5, "val", "{}", 0});
      store.putValidationSamples(id, 5, "{}");
    }
    QVERIFY(store.deleteRun(drop));
    QVERIFY(!store.deleteRun(drop));
    RawDb raw(path);
    for (const char* table : {"metrics", "checkpoints", "evaluations", "validation_samples"}) {
      QCOMPARE(raw.scalar(std::string("SELECT COUNT(*) FROM ") + table + " WHERE run_id = " + std::to_string(drop)),
               std::string("0"));
      QVERIFY(raw.scalar(std::string("SELECT COUNT(*) FROM ") + table + " WHERE run_id = " + std::to_string(keep)) !=
              "0");
    }
    QCOMPARE(store.listRuns().size(), size_t(1));
  }

  void valuesAreBoundNotSpliced() {
    RunStore store(freshDb());
    const std::string nasty = "x'); DROP TABLE runs; --";
    const int64_t id = store.createRun(namedRun(nasty));
    store.appendMetrics(id, {{1, nasty, 1.0, 0}});
    QCOMPARE(store.run(id)->name, nasty);
    QCOMPARE(store.metricKeys(id), std::vector<std::string>{nasty});
  }

  // SIGKILL leaves a run "running" forever; the next look must fix that.
  void deadRunsBecomeInterrupted() {
    RunStore store(freshDb());
    const int64_t dead = deadPid();
    auto make = [&](RunStatus status, std::string host, int64_t pid) {
      RunRecord r;
      r.status = status;
      r.host = std::move(host);
      r.pid = pid;
      r.heartbeatAt = 1234.0;
      return store.createRun(r);
    };
    const int64_t killed = make(RunStatus::Running, RunStore::thisHost(), dead);
    const int64_t alive = make(RunStatus::Running, RunStore::thisHost(), ::getpid());
    const int64_t remote = make(RunStatus::Running, "some-other-node", dead);
    const int64_t done = make(RunStatus::Completed, RunStore::thisHost(), dead);

    QCOMPARE(store.markDeadRunsInterrupted(), std::vector<int64_t>{killed});
    const auto r = *store.run(killed);
    QCOMPARE(r.status, RunStatus::Interrupted);
    QVERIFY2(r.message.find("pid " + std::to_string(dead)) != std::string::npos, r.message.c_str());
    QCOMPARE(*r.finishedAt, 1234.0);  // the last sign of life
    QCOMPARE(store.run(alive)->status, RunStatus::Running);
    QCOMPARE(store.run(remote)->status, RunStatus::Running);
    QCOMPARE(store.run(done)->status, RunStatus::Completed);
    QVERIFY(store.markDeadRunsInterrupted().empty());  // idempotent
  }

  // A database from the first release opens with today's code, data intact.
  void migratesAVersion1Database() {
    const std::string path = freshDb();
    {
      RawDb raw(path);
      raw.exec(kVersion1Schema);
      raw.exec(
          "INSERT INTO runs (id, name, status, preset, config_json, created_at, started_at, finished_at, host, "
          "device, run_dir, steps_done, steps_total, best_metric_name, best_metric, message) VALUES "
          "(7, 'old-run', 'completed', 'micro', '{\"seed\": 3}', 100.0, 101.0, 150.0, 'hostA', 'cpu', 'runs/7', "
          "20, 20, 'val/R@10', 0.42, 'done')");
      raw.exec(
          "INSERT INTO metrics VALUES (7, 1, 'loss', 3.0, 110.0), (7, 2, 'loss', 2.0, 111.0), "
          "(7, 2, 'loss', 1.9, 112.0), (7, 1, 'lr', 0.01, 110.0)");  // v1 allowed a re-logged step twice
      raw.exec(
          "INSERT INTO checkpoints (run_id, step, path, metric, is_best, created_at) "
          "VALUES (7, 20, 'checkpoints/step-20', 0.42, 1, 150.0)");
      raw.exec(
          "INSERT INTO evaluations (run_id, checkpoint_step, split, results_json, created_at) "
          "VALUES (7, 20, 'test', '{\"R@10\": 0.4}', 151.0)");
    }
    RunStore store(path);
    QCOMPARE(store.schemaVersion(), latestSchemaVersion());

    const auto r = store.run(7);
    QVERIFY(r);
    QCOMPARE(r->name, std::string("old-run"));
    QCOMPARE(r->status, RunStatus::Completed);
    QCOMPARE(r->configJson, std::string("{\"seed\": 3}"));
    QCOMPARE(*r->startedAt, 101.0);
    QCOMPARE(r->host, std::string("hostA"));
    QCOMPARE(r->runDir, std::string("runs/7"));
    QCOMPARE(*r->bestMetric, 0.42);
    QCOMPARE(r->pid, int64_t(0));  // columns added by version 2
    QVERIFY(!r->heartbeatAt);

    const auto loss = store.metrics(7, "loss");
    QCOMPARE(loss.size(), size_t(2));
    QCOMPARE(loss[1].value, 1.9);  // the later of the duplicates survives
    QCOMPARE(store.metricKeys(7), (std::vector<std::string>{"loss", "lr"}));
    QCOMPARE(store.checkpoints(7).size(), size_t(1));
    QVERIFY(store.checkpoints(7)[0].isBest);
    QCOMPARE(store.evaluations(7).at(0).resultsJson, std::string("{\"R@10\": 0.4}"));

    // Version-2 features work on the migrated data.
    store.appendMetrics(7, {{2, "loss", 1.8, 0}});
    QCOMPARE(store.metrics(7, "loss").size(), size_t(2));
    store.markRunning(7, "cpu");
    QCOMPARE(store.run(7)->pid, int64_t(::getpid()));

    RawDb raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'metrics_run_key_step'"), std::string("1"));
  }

  void reopeningDoesNotMigrateAgain() {
    const std::string path = freshDb();
    int64_t id = 0;
    {
      RunStore store(path);
      id = store.createRun(namedRun("persisted"));
    }
    RunStore again(path, /*create=*/false);
    QCOMPARE(again.run(id)->name, std::string("persisted"));
  }

  void newerSchemaIsRefused() {
    const std::string path = freshDb();
    {
      RawDb raw(path);
      raw.exec("CREATE TABLE future (x); PRAGMA user_version = 99;");
    }
    try {
      RunStore store(path);
      QFAIL("expected IoError");
    } catch (const IoError& e) {
      QVERIFY2(std::string(e.what()).find(path) != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find("schema version 99") != std::string::npos, e.what());
    }
  }

  void notADatabaseNamesTheFile() {
    const std::string path = freshDb();
    test::writeAll(path, std::string(4096, 'z'));
    try {
      RunStore store(path);
      QFAIL("expected Error");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).rfind(path + ": ", 0) == 0, e.what());
    }
    QCOMPARE(test::readAll(path), std::string(4096, 'z'));  // the user's file is not touched
  }

  void missingDatabaseWithoutCreate() {
    const std::string path = freshDb();
    QVERIFY_THROWS_EXCEPTION(IoError, RunStore(path, /*create=*/false));
    QVERIFY(!std::filesystem::exists(path));
  }
};

QTEST_GUILESS_MAIN(TestRunStore)
#include "test_run_store.moc"
