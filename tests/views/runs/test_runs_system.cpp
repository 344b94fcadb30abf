// The run details' live figures, asserted rather than only shown: the system
// panel's CPU and memory of a watched process (this test's own, a finished
// one, none), its GPU line with or without an NVIDIA driver, and the ETA from
// live events and from the store's timestamps.
#include <QRegularExpression>
#include <QtTest>

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <cmath>

#include "core/store/RunRecords.h"
#include "training/events/TrainEvent.h"
#include "views/runs/RunDetailPanel.h"
#include "views/runs/SystemPanel.h"

using namespace moon;

namespace {

void burnCpu(int ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  volatile double x = 0;
  while (std::chrono::steady_clock::now() < end) x = x + std::sqrt(x + 1.0);
}

RunRecord runningRun(int64_t done, int64_t total, double secondsSoFar) {
  RunRecord r;
  r.id = 7;
  r.name = "eta";
  r.status = RunStatus::Running;
  r.stepsDone = done;
  r.stepsTotal = total;
  const double now = double(std::time(nullptr));
  r.startedAt = now - secondsSoFar;
  r.heartbeatAt = now;
  return r;
}

}  // namespace

class TestRunsSystem : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void watchesTheCpuAndMemoryOfAProcess() {
    SystemPanel panel;
    panel.setProcess(0);
    QCOMPARE(panel.cpuText(), QStringLiteral("— · —"));

    const qint64 self = QCoreApplication::applicationPid();
    panel.setProcess(self);  // the first sample has no interval to measure CPU over
    QVERIFY2(panel.cpuText().startsWith(QStringLiteral("… (pid %1)").arg(self)), qPrintable(panel.cpuText()));
    burnCpu(300);
    panel.sample();
    const QRegularExpression shown(QStringLiteral("^(\\d+) % \\(pid %1\\) · (.+)$").arg(self));
    const auto m = shown.match(panel.cpuText());
    QVERIFY2(m.hasMatch(), qPrintable(panel.cpuText()));
    // One busy thread: clearly above idle (a loaded CI machine may share the core), never more than all cores.
    const int percent = m.captured(1).toInt();
    QVERIFY2(percent >= 10 && percent <= 100 * int(sysconf(_SC_NPROCESSORS_ONLN)) + 5, qPrintable(panel.cpuText()));
    QVERIFY2(m.captured(2).contains(QRegularExpression(QStringLiteral("\\d"))), qPrintable(m.captured(2)));

    panel.setProcess(999999999);  // above any pid_max: no such process
    QCOMPARE(panel.cpuText(), QStringLiteral("process 999999999 not running · —"));
  }

  void gpuLineSaysWhatTheDriverReports() {
    SystemPanel panel;
    panel.setProcess(0);
    void* nvml = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!nvml) {
      QCOMPARE(panel.gpuText(), QStringLiteral("no NVIDIA driver"));
    } else {
      dlclose(nvml);  // a driver: each GPU "name: util %, used / total", or that none was found
      QVERIFY2(panel.gpuText().contains(QStringLiteral(" %, ")) || panel.gpuText() == QStringLiteral("no GPU found") ||
                   panel.gpuText().contains(QStringLiteral("NVIDIA")),
               qPrintable(panel.gpuText()));
    }
  }

  void etaFromLiveEventsAndFromTheStore() {
    RunDetailPanel panel;
    // No live events: the mean pace so far (10 steps in 100 s) over the 20 steps left.
    panel.showRun(runningRun(10, 30, 100), QString(), {});
    QVERIFY2(panel.progressText().contains(QStringLiteral("step 10 of 30")), qPrintable(panel.progressText()));
    QVERIFY2(panel.progressText().contains(QStringLiteral("ETA 3 min 20 s")), qPrintable(panel.progressText()));
    // A live step event's own estimate and rate win.
    TrainEvent e = TrainEvent::make(TrainEventKind::Step, 12);
    e.numbers[event_key::kEtaS] = 42;
    e.numbers[event_key::kSamplesPerS] = 12.5;
    e.numbers[event_key::kTotalSteps] = 30;
    panel.showTrainEvent(e);
    QVERIFY2(panel.progressText().contains(QStringLiteral("step 12 of 30")), qPrintable(panel.progressText()));
    QVERIFY2(panel.progressText().contains(QStringLiteral("ETA 42 s")), qPrintable(panel.progressText()));
    QVERIFY2(panel.progressText().contains(QStringLiteral("12.5 samples/s")), qPrintable(panel.progressText()));
    // A finished run has no ETA.
    RunRecord finished = runningRun(30, 30, 300);
    finished.status = RunStatus::Completed;
    panel.showRun(finished, QString(), {});
    QVERIFY2(!panel.progressText().contains(QStringLiteral("ETA")), qPrintable(panel.progressText()));
  }
};

QTEST_MAIN(TestRunsSystem)
#include "test_runs_system.moc"
