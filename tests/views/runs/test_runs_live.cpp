// The Runs view driving the real `moon train` on a tiny synthetic catalogue:
// a micro run launched from the view with its metrics arriving, a run started
// from a shell stopped and resumed from the view, a killed run, and children
// that crash or cannot start.
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>

#include "SyntheticCatalogue.h"
#include "TestPaths.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "views/runs/ChartPanel.h"
#include "views/runs/LogTail.h"
#include "views/runs/MetricChart.h"
#include "views/runs/MetricFeed.h"
#include "views/runs/RunController.h"
#include "views/runs/RunDetailPanel.h"
#include "views/runs/RunsTableModel.h"
#include "views/runs/RunsView.h"
#include "views/runs/TrainProcess.h"

using namespace moon;

namespace {

constexpr int kTimeoutMs = 45000;

RunStatus statusOf(const RunsView& view, qint64 id) {
  const RunRecord* r = view.model()->run(id);
  return r ? r->status : RunStatus::Queued;
}

}  // namespace

class TestRunsLive : public QObject {
  Q_OBJECT
  std::unique_ptr<test::SyntheticCatalogue> catalogue;
  QString data;
  QString root;
  QString tmpPath(const char* name) const { return QString::fromStdString(catalogue->path(name)); }

  NewRunSettings microRun(const std::string& name, int steps) const {
    NewRunSettings s = NewRunSettings::fromPreset("micro", data.toStdString());
    s.name = name;
    s.steps = steps;
    s.batchSize = 6;
    s.warmupSteps = 2;
    s.evalEvery = 0;
    s.checkpointEvery = 0;
    s.extra = {"threads=1", "eval.max_queries=8", "eval.batch_size=16", "seed=5"};
    return s;
  }

  // A fresh view on the workspace, following the real CLI.
  std::unique_ptr<RunsView> makeView() const {
    auto view = std::make_unique<RunsView>();
    view->controller()->setMoonProgram(MOON_CLI_PATH);
    view->setWorkspace(WorkspaceLocation(root));
    view->activated();  // fast polling
    return view;
  }

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    QVERIFY(QFile::exists(MOON_CLI_PATH));
    SynthOptions o = test::smallCatalogue(24);
    o.valFraction = 0.25;
    o.testFraction = 0.1;
    catalogue = std::make_unique<test::SyntheticCatalogue>(o);
    data = catalogue->qDataDir();
    root = catalogue->qWorkspaceDir();
    Workspace::open(root.toStdString(), true);
  }

  void microRunLaunchedFromTheViewShowsItsCurves() {
    auto view = makeView();
    QSignalSpy points(view->feed(), &MetricFeed::pointsArrived);
    QSignalSpy events(view->controller(), &RunController::runEvent);
    NewRunSettings s = microRun("from the view", 8);
    QVERIFY(s.validationError().empty());
    TrainProcess* p = view->launch(s);
    QVERIFY(p);
    QTRY_VERIFY_WITH_TIMEOUT(p->runId() > 0, kTimeoutMs);
    const qint64 id = p->runId();
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*view, id), RunStatus::Completed, kTimeoutMs);
    view->refresh();
    QCOMPARE(view->selectedRuns(), QList<qint64>{id});  // a launched run is selected when it appears
    QVERIFY(points.count() > 0);
    QVERIFY(events.count() >= 8);  // started + 8 steps + eval + ...
    MetricChart* losses = view->chartPanel()->chart("Losses");
    QVERIFY(losses);
    QCOMPARE(losses->pointCount(id, "train/loss"), 8);
    QVERIFY(view->chartPanel()->chart("Validation"));
    QVERIFY(view->detailPanel()->progressText().contains("step 8 of 8"));
    QCOMPARE(view->detailPanel()->statusText(), QString("completed"));
    QTRY_VERIFY_WITH_TIMEOUT(!view->detailPanel()->logTail()->lastLines(5).isEmpty(), 5000);
  }

  void runFromAShellIsStoppedAndResumedFromTheView() {
    auto view = makeView();
    QProcess shell;  // as if typed in a terminal: not a child of the view's controller
    QStringList args;
    for (const auto& a : microRun("from a shell", 30).trainArguments(root.toStdString()))
      args << QString::fromStdString(a);
    shell.start(MOON_CLI_PATH, args);
    QVERIFY(shell.waitForStarted());
    qint64 id = 0;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
          for (qint64 r : view->model()->runIds())
            if (view->model()->run(r)->name == "from a shell" && view->model()->run(r)->stepsDone > 0) id = r;
          return id > 0;
        }(),
        kTimeoutMs);
    QCOMPARE(qint64(view->model()->run(id)->pid), qint64(shell.processId()));
    QString error;
    QVERIFY2(view->stopRun(id, &error), qPrintable(error));  // SIGTERM through the store's pid
    QVERIFY(shell.waitForFinished(kTimeoutMs));
    QCOMPARE(shell.exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*view, id), RunStatus::Stopped, 5000);
    const qint64 stoppedAt = view->model()->run(id)->stepsDone;
    QVERIFY(stoppedAt < 30);
    QVERIFY(!view->stopRun(id, &error));
    QVERIFY2(error.contains("not running"), qPrintable(error));

    view->selectRuns({id});
    TrainProcess* resumed = view->resumeRun(id);
    QVERIFY(resumed);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*view, id), RunStatus::Completed, kTimeoutMs);
    QCOMPARE(qint64(view->model()->run(id)->stepsDone), qint64(30));
    QCOMPARE(resumed->exitCode(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(view->chartPanel()->chart("Losses")->pointCount(id, "train/loss"), 30, 5000);
  }

  void killedRunShowsInterrupted() {
    auto view = makeView();
    TrainProcess* p = view->launch(microRun("killed", 2000));
    QTRY_VERIFY_WITH_TIMEOUT(p->runId() > 0 && p->lastEvent() && p->lastEvent()->kind == TrainEventKind::Step,
                             kTimeoutMs);
    const qint64 id = p->runId();
    ::kill(static_cast<pid_t>(p->pid()), SIGKILL);
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(*view, id), RunStatus::Interrupted, 10000);
    view->selectRuns({id});
    QCOMPARE(view->detailPanel()->statusText(), QString("interrupted"));
    QVERIFY(view->detailPanel()->messageText().contains("killed"));
  }

  void crashingChildShowsFailedWithItsLastLines() {
    int64_t id = 0;
    {
      Workspace ws = Workspace::open(root.toStdString());
      RunRecord r;
      r.name = "crashes";
      r.preset = "micro";
      r.stepsTotal = 10;
      id = ws.createRun(r);
    }
    // A trainer that starts, logs a step and dies with an error on stderr.
    const QString script = tmpPath("fake-moon.sh");
    QFile f(script);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        QStringLiteral("#!/bin/sh\n"
                       "echo '{\"event\":\"started\",\"step\":0,\"time\":1,\"numbers\":{\"total_steps\":10},"
                       "\"strings\":{\"run_id\":\"%1\"}}'\n"
                       "echo '{\"event\":\"step\",\"step\":1,\"time\":2,\"numbers\":{\"loss\":2.5},\"strings\":{}}'\n"
                       "echo 'loading shards' >&2\n"
                       "echo 'fake trainer: out of cheese at step 2' >&2\n"
                       "exit 1\n")
            .arg(id)
            .toUtf8());
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);

    auto view = makeView();
    view->controller()->setMoonProgram(script);
    QSignalSpy finished(view->controller(), &RunController::runFinished);
    TrainProcess* p = view->launch(microRun("ignored", 10));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(p->exitCode(), 1);
    QCOMPARE(p->runId(), qint64(id));
    QCOMPARE(statusOf(*view, id), RunStatus::Failed);
    QVERIFY(view->model()->run(id)->message.find("out of cheese") != std::string::npos);
    QCOMPARE(view->selectedRuns(), QList<qint64>{qint64(id)});
    QCOMPARE(view->detailPanel()->statusText(), QString("failed"));
    QVERIFY2(view->detailPanel()->messageText().contains("out of cheese"),
             qPrintable(view->detailPanel()->messageText()));
    const QStringList lines = view->detailPanel()->logTail()->lastLines(5);
    QVERIFY2(lines.join('\n').contains("loading shards"), qPrintable(lines.join('\n')));

    // The GUI keeps working: a program that cannot start is reported, not fatal.
    view->controller()->setMoonProgram(tmpPath("no-such-moon"));
    QSignalSpy failed(view->controller(), &RunController::launchFailed);
    view->launch(microRun("never", 10));
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY(view->detailPanel()->messageText().contains("did not start"));
    view->refresh();
    QCOMPARE(statusOf(*view, id), RunStatus::Failed);
  }
};

QTEST_MAIN(TestRunsLive)
#include "test_runs_live.moc"
