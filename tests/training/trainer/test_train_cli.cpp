#include <QProcess>
#include <QtTest>

#include <csignal>

#include "ChildProcessEvents.h"
#include "TestPaths.h"
#include "TrainerFixture.h"
#include "core/base/Logging.h"

using namespace moon;
using moon::test::waitForEvent;

namespace {

QStringList baseArgs(const TrainerFixture& fx, const std::string& ws) {
  return {"train",
          "--workspace",
          QString::fromStdString(ws),
          "--preset",
          "micro",
          "--data",
          QString::fromStdString(fx.dataDir),
          "--set",
          "threads=1",
          "--set",
          "loader.batch_size=6",
          "--set",
          "eval.every=0",
          "--set",
          "eval.max_queries=8",
          "--set",
          "schedule.warmup_steps=2"};
}

}  // namespace

class TestTrainCli : public QObject {
  Q_OBJECT
  std::unique_ptr<TrainerFixture> fx;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    fx = std::make_unique<TrainerFixture>(24);
  }

  void trainPrintsEventsAndCompletes() {
    QProcess p;
    p.start(MOON_CLI_PATH, baseArgs(*fx, fx->workspaceDir + "/ok") << "--steps"
                                                                   << "3"
                                                                   << "--name"
                                                                   << "cli run");
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 0);
    int steps = 0;
    std::vector<TrainEvent> events;
    for (const auto& line : QString(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
      const auto parsed = parseTrainEvent(line.toStdString());
      QVERIFY2(parsed.ok(), qPrintable(line));
      events.push_back(*parsed.event);
      steps += parsed.event->kind == TrainEventKind::Step;
    }
    QCOMPARE(steps, 3);
    QCOMPARE(events.front().kind, TrainEventKind::Started);
    QCOMPARE(events.back().kind, TrainEventKind::Completed);
    Workspace ws = Workspace::open(fx->workspaceDir + "/ok");
    const auto runs = ws.store().listRuns();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(QString::fromStdString(runs[0].name), QString("cli run"));
    QCOMPARE(runs[0].status, RunStatus::Completed);
    QCOMPARE(runs[0].configJson.find("\"steps\": 3") != std::string::npos, true);
  }

  void badOverrideNamesTheKey() {
    QProcess p;
    p.start(MOON_CLI_PATH, baseArgs(*fx, fx->workspaceDir + "/bad") << "--set"
                                                                    << "optim.lrr=1");
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(QString(p.readAllStandardError()).contains("optim.lrr"));
  }

  void sigtermStopsGracefully() {
    QProcess p;
    p.start(MOON_CLI_PATH, baseArgs(*fx, fx->workspaceDir + "/term") << "--steps"
                                                                     << "500");
    QVERIFY(waitForEvent(p, TrainEventKind::Step).has_value());
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    const auto stopped = waitForEvent(p, TrainEventKind::Stopped);
    QVERIFY(stopped.has_value());
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    Workspace ws = Workspace::open(fx->workspaceDir + "/term");
    const auto run = ws.store().listRuns().at(0);
    QCOMPARE(run.status, RunStatus::Stopped);
    QCOMPARE(ws.store().checkpoints(run.id).back().step, stopped->step);
  }

  void killedRunIsInterruptedAndResumable() {
    const std::string dir = fx->workspaceDir + "/kill";
    QProcess p;
    p.start(MOON_CLI_PATH, baseArgs(*fx, dir) << "--steps"
                                              << "500"
                                              << "--set"
                                              << "checkpoint.every=2");
    const auto ckpt = waitForEvent(p, TrainEventKind::Checkpoint);
    QVERIFY(ckpt.has_value());
    p.kill();  // SIGKILL
    QVERIFY(p.waitForFinished(30000));
    int64_t runId = 0;
    {
      Workspace ws = Workspace::open(dir);
      runId = ws.store().listRuns().at(0).id;
      QCOMPARE(ws.store().markDeadRunsInterrupted(), std::vector<int64_t>{runId});
      QCOMPARE(ws.store().run(runId)->status, RunStatus::Interrupted);
    }
    const int64_t last = [&] {
      Workspace ws = Workspace::open(dir);
      return ws.store().checkpoints(runId).back().step;
    }();
    QVERIFY(last >= ckpt->step);
    QProcess r;
    r.start(MOON_CLI_PATH, {"train", "--workspace", QString::fromStdString(dir), "--resume", QString::number(runId),
                            "--steps", QString::number(last + 2)});
    QVERIFY(r.waitForFinished(120000));
    QCOMPARE(r.exitCode(), 0);
    Workspace ws = Workspace::open(dir);
    const auto run = ws.store().run(runId);
    QCOMPARE(run->status, RunStatus::Completed);
    QCOMPARE(run->stepsDone, last + 2);
    QCOMPARE(ws.store().metrics(runId, "train/loss").back().step, last + 2);
  }
};

QTEST_GUILESS_MAIN(TestTrainCli)
#include "test_train_cli.moc"
