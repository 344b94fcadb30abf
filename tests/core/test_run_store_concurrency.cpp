// A training process writes metrics while the GUI process reads them: two (here
// three) processes on one database must never see "database is locked".
// The test binary re-starts itself with `--writer` to play the trainer.

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "RunTestUtil.h"
#include "core/base/Error.h"
#include "core/store/RunStore.h"

using namespace moon;
using moon::test::namedRun;

namespace {

constexpr int64_t kPointsPerWriter = 3000;
constexpr int64_t kPointsPerTransaction = 5;

double expectedValue(int64_t runId, int64_t step) { return double(runId) * 1e6 + double(step) * 0.5; }

// Child: appends kPointsPerWriter points to run `runId` in small transactions,
// with a progress update (another write) after each one.
int writerMain(const std::string& dbPath, int64_t runId) {
  try {
    RunStore store(dbPath, /*create=*/false);
    store.markRunning(runId, "cpu");
    for (int64_t step = 0; step < kPointsPerWriter; step += kPointsPerTransaction) {
      std::vector<MetricPoint> batch;
      for (int64_t s = step; s < step + kPointsPerTransaction; ++s)
        batch.push_back({s, "loss", expectedValue(runId, s), 0});
      store.appendMetrics(runId, batch);
      store.setProgress(runId, step + kPointsPerTransaction, kPointsPerWriter);
      // A trainer computes between writes; without a pause a quiet machine
      // finishes both writers before the reader's first pass.
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    store.setStatus(runId, RunStatus::Completed);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "writer " << runId << " failed: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

class TestRunStoreConcurrency : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void writersAndReaderInSeparateProcesses() {
    QTemporaryDir dir;
    const std::string dbPath = dir.path().toStdString() + "/moon.db";
    RunStore store(dbPath);
    const std::vector<int64_t> runs{store.createRun(namedRun("writer-a")), store.createRun(namedRun("writer-b"))};
    const int64_t ownRun = store.createRun(namedRun("reader"));

    std::vector<std::unique_ptr<QProcess>> writers;
    for (int64_t runId : runs) {
      auto p = std::make_unique<QProcess>();
      p->start(QCoreApplication::applicationFilePath(),
               {"--writer", QString::fromStdString(dbPath), QString::number(runId)});
      QVERIFY2(p->waitForStarted(10000), "cannot start the writer process");
      writers.push_back(std::move(p));
    }

    std::map<int64_t, int64_t> lastStep{{runs[0], -1}, {runs[1], -1}};
    int partialReads = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(150);
    auto anyRunning = [&] {
      for (auto& w : writers)
        if (w->state() != QProcess::NotRunning) return true;
      return false;
    };
    // Reads incrementally (as the GUI's chart does) until a pass that began
    // after every writer had exited, so that pass sees the last rows.
    for (;;) {
      const bool running = anyRunning();
      try {
        for (int64_t runId : runs) {
          for (const auto& p : store.metrics(runId, "loss", lastStep[runId])) {
            if (p.step != lastStep[runId] + 1)
              QFAIL(qPrintable(QString("run %1: step %2 after %3").arg(runId).arg(p.step).arg(lastStep[runId])));
            QCOMPARE(p.value, expectedValue(runId, p.step));
            lastStep[runId] = p.step;
          }
          store.run(runId);
        }
        store.listRuns();
        store.heartbeat(ownRun);  // the reader writes too: writer/writer contention
      } catch (const Error& e) {
        QFAIL(e.what());
      }
      if (!running) break;
      for (int64_t runId : runs)
        if (lastStep[runId] >= 0 && lastStep[runId] < kPointsPerWriter - 1) {
          ++partialReads;  // saw a run half-written: reader and writer overlapped
          break;
        }
      QVERIFY2(std::chrono::steady_clock::now() < deadline, "writers did not finish in time");
      QCoreApplication::processEvents();  // lets QProcess notice an exit
    }

    for (auto& w : writers) {
      if (w->state() != QProcess::NotRunning) QVERIFY(w->waitForFinished(30000));
      const QString errors = QString::fromUtf8(w->readAllStandardError());
      QVERIFY2(w->exitStatus() == QProcess::NormalExit && w->exitCode() == 0, qPrintable(errors));
      QVERIFY2(errors.isEmpty(), qPrintable(errors));
    }
    for (int64_t runId : runs) {
      QCOMPARE(lastStep[runId], kPointsPerWriter - 1);  // every row, in order, none twice
      const auto r = *store.run(runId);
      QCOMPARE(r.status, RunStatus::Completed);
      QCOMPARE(r.stepsDone, kPointsPerWriter);
    }
    qInfo("reader passes that saw a half-written run: %d", partialReads);
    QVERIFY2(partialReads >= 3, "the reader never overlapped the writers; the test proved nothing");
  }
};

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--writer") == 0) return writerMain(argv[2], std::stoll(argv[3]));
  QCoreApplication app(argc, argv);
  TestRunStoreConcurrency test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_run_store_concurrency.moc"
