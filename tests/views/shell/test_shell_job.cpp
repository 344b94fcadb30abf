#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

#include "core/base/Error.h"
#include "views/common/Job.h"

using namespace moon;

namespace {

// Counts to `steps`, reporting progress; stops early when canceled.
class CountingJob : public Job {
 public:
  explicit CountingJob(int steps, int sleepMs = 0) : Job(QStringLiteral("counting")), steps_(steps), sleep_(sleepMs) {}
  ~CountingJob() override {
    if (returnedAtDestruction) *returnedAtDestruction = returned.load();
  }
  bool* returnedAtDestruction = nullptr;
  QThread* runThread = nullptr;
  std::atomic<bool> returned{false};
  std::atomic<int> done{0};

 protected:
  bool run() override {
    runThread = QThread::currentThread();
    for (int i = 0; i < steps_ || steps_ < 0; ++i) {
      if (isCanceled()) break;
      scratch_.push_back(i);  // touches a subclass member: must not outlive the subclass
      done.store(i + 1);
      setProgress(steps_ < 0 ? 50.0 : 100.0 * (i + 1) / steps_);
      if (sleep_) QThread::msleep(ulong(sleep_));
    }
    returned.store(true);
    return !isCanceled();
  }

 private:
  int steps_;
  int sleep_;
  std::vector<int> scratch_;
};

class ThrowingJob : public Job {
 public:
  ThrowingJob() : Job(QStringLiteral("throwing")) {}

 protected:
  bool run() override { throw IoError("/data/products.jsonl:3: not JSON"); }
};

}  // namespace

class TestShellJob : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void progressAndFinishedArriveOnTheOwnerThread() {
    auto job = makeJob<CountingJob>(200, 1);
    QSignalSpy progress(job.get(), &Job::progressChanged);
    QSignalSpy finished(job.get(), &Job::finished);
    QThread* finishedOn = nullptr;
    QThread* progressOn = nullptr;
    // No context object: the lambdas run on whichever thread emits.
    connect(job.get(), &Job::finished, [&] { finishedOn = QThread::currentThread(); });
    connect(job.get(), &Job::progressChanged, [&] { progressOn = QThread::currentThread(); });

    QCOMPARE(job->status(), Job::Status::Idle);
    job->start();
    QVERIFY(job->isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);

    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(job->status(), Job::Status::Succeeded);
    QVERIFY(job->runThread != nullptr);
    QVERIFY(job->runThread != QThread::currentThread());
    QCOMPARE(finishedOn, QThread::currentThread());
    QCOMPARE(progressOn, QThread::currentThread());
    QVERIFY(progress.count() >= 1);
    double previous = -1;
    for (const auto& args : progress) {
      const double p = args.first().toDouble();
      QVERIFY2(p >= previous, "progress must not go backwards");
      previous = p;
    }
    QCOMPARE(previous, 100.0);  // the last progress is delivered before finished
    QCOMPARE(job->progress(), 100.0);
  }

  void burstsOfProgressAreCollapsed() {
    constexpr int kSteps = 100000;
    auto job = makeJob<CountingJob>(kSteps);
    QSignalSpy progress(job.get(), &Job::progressChanged);
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
    QCOMPARE(job->done.load(), kSteps);
    QVERIFY2(progress.count() < kSteps / 2, qPrintable(QString::number(progress.count())));
    QCOMPARE(progress.last().first().toDouble(), 100.0);
  }

  void cancelStopsRunAndReportsCanceled() {
    auto job = makeJob<CountingJob>(-1, 1);  // runs until canceled
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_VERIFY_WITH_TIMEOUT(job->done.load() > 3, 10000);
    job->cancel();
    QVERIFY(job->isCanceled());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(job->status(), Job::Status::Canceled);
    QVERIFY(job->errorMessage().isEmpty());
    QVERIFY(job->returned.load());
  }

  void anExceptionBecomesAFailureWithItsMessage() {
    auto job = makeJob<ThrowingJob>();
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(job->status(), Job::Status::Failed);
    QVERIFY2(job->errorMessage().contains(QStringLiteral("products.jsonl:3")), qPrintable(job->errorMessage()));
  }

  void droppingTheOwnerCancelsAndWaitsForTheWorker() {
    auto job = makeJob<CountingJob>(-1, 1);  // runs until canceled
    bool returnedAtDestruction = false;
    job->returnedAtDestruction = &returnedAtDestruction;
    job->start();
    QTRY_VERIFY_WITH_TIMEOUT(job->done.load() > 0, 10000);
    QVERIFY(!job->returned.load());
    job.reset();
    // The subclass destructor ran only after run() had returned.
    QVERIFY(returnedAtDestruction);
  }

  void finishedIsNotDeliveredAfterTheJobIsGone() {
    bool delivered = false;
    {
      auto job = makeJob<CountingJob>(5);
      connect(job.get(), &Job::finished, [&] { delivered = true; });
      job->start();
      job->wait();
    }  // run() is over but finished() was still queued: it dies with the job
    QTest::qWait(50);
    QVERIFY(!delivered);
  }
};

QTEST_GUILESS_MAIN(TestShellJob)
#include "test_shell_job.moc"
