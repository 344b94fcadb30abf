// The Compare view's controller without any widget: what it loads, waits for
// and computes, and the states a failure or a cancel leaves it in.

#include <QtTest/QtTest>

#include <QSignalSpy>

#include "CompareFixture.h"
#include "views/compare/CompareController.h"

using namespace moon;

class TestCompareController : public QObject {
  Q_OBJECT

  std::unique_ptr<test::CompareFixture> fx_;
  QString split_;

  static QString q(const std::string& s) { return QString::fromStdString(s); }

  void loadTriplet(CompareController& c) {
    c.setDataset(q(fx_->dataset()));
    c.setCheckpoint(q(fx_->modelCheckpoint()));
    c.showTriplet(split_, 0);
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 60000);
    QVERIFY2(c.message().isEmpty(), qPrintable(c.message()));
    QVERIFY(c.result());
  }

 private Q_SLOTS:
  void initTestCase() {
    fx_ = std::make_unique<test::CompareFixture>();
    split_ = q(fx_->tripletSplit());
    QVERIFY(!split_.isEmpty());
  }

  void triplet_fills_the_slots_and_computes() {
    CompareController c;
    QSignalSpy inputs(&c, &CompareController::inputChanged);
    QSignalSpy shown(&c, &CompareController::tripletShown);
    QSignalSpy results(&c, &CompareController::resultChanged);
    c.setDataset(q(fx_->dataset()));
    c.setCheckpoint(q(fx_->modelCheckpoint()));
    c.showTriplet(split_, 0);
    QVERIFY(!c.isReady());  // handed to jobs, not done here
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 60000);
    QVERIFY2(c.message().isEmpty(), qPrintable(c.message()));
    QCOMPARE(inputs.count(), kCompareSlots);
    QCOMPARE(shown.count(), 1);
    QCOMPARE(shown.at(0).at(0).toString(), split_);
    QVERIFY(results.count() >= 1);
    QVERIFY(c.result());
    QCOMPARE(c.input(kQuerySlot).id, (split_ + QStringLiteral("#0")).toStdString());
    QVERIFY(!c.input(kGroundTruthSlot).image.empty());
    QVERIFY(c.status().startsWith(QStringLiteral("Compared in")));
    QCOMPARE(c.checkpointPath(), QDir::cleanPath(q(fx_->modelCheckpoint())));
  }

  void failed_checkpoint_is_a_state_not_a_wait() {
    // A triplet asked for with no dataset, and a checkpoint that cannot load:
    // nothing is left to wait for, so the controller is ready at once with the reason.
    CompareController c;
    c.setCheckpoint(QStringLiteral("/no/such/checkpoint"));
    c.showTriplet(QStringLiteral("test"), 0);
    QElapsedTimer t;
    t.start();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 10000);
    QVERIFY2(t.elapsed() < 5000, QByteArray::number(t.elapsed()));
    QVERIFY2(c.message().contains(QStringLiteral("/no/such/checkpoint")), qPrintable(c.message()));
    QVERIFY(!c.hasModel());
    QVERIFY(!c.result());
    // The failure is sticky: a dataset problem does not hide it, the next checkpoint clears it.
    c.setDataset(q(fx_->dataset()));
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 30000);
    QVERIFY(c.message().contains(QStringLiteral("Cannot load the checkpoint")));
    c.setCheckpoint(q(fx_->modelCheckpoint()));
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady() && c.hasModel(), 60000);
    QVERIFY2(c.message().isEmpty(), qPrintable(c.message()));
  }

  void out_of_range_triplet_names_the_range() {
    CompareController c;
    c.setDataset(q(fx_->dataset()));
    c.showTriplet(split_, 100000);  // waits for the dataset, then fails with the range
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 30000);
    QVERIFY2(c.message().contains(QStringLiteral("out of range")), qPrintable(c.message()));
    QVERIFY(c.inputsEmpty());
  }

  void newest_dataset_choice_wins_without_blocking() {
    CompareController c;
    c.setDataset(QStringLiteral("/no/such/dataset"));
    c.setDataset(q(fx_->dataset()));  // while the first is read: queued, not waited for
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 30000);
    QVERIFY(c.dataset());
    QCOMPARE(c.datasetDir(), QDir::cleanPath(q(fx_->dataset())));
  }

  void cancel_leaves_a_cancelled_result_free_state_a_rerun_replaces() {
    CompareController c;
    loadTriplet(c);
    c.regenerate();
    c.cancel();  // before the scheduled run starts, or while it runs
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady(), 30000);
    QVERIFY(c.wasCancelled());
    QVERIFY(!c.result());
    QCOMPARE(c.status(), QStringLiteral("Cancelled."));
    c.regenerate();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady() && c.result(), 60000);
    QVERIFY(!c.wasCancelled());
  }

  void options_reach_the_next_run() {
    CompareController c;
    loadTriplet(c);
    const std::string greedy = c.result()->slots[kQuerySlot].multimodal.traceText;
    CompareOptions o;
    o.greedy = false;
    o.temperature = 3.0;
    o.seed = 5;
    c.setOptions(o);
    c.regenerate();
    QTRY_VERIFY_WITH_TIMEOUT(c.isReady() && c.result(), 60000);
    QVERIFY(!c.options().greedy);
    // A random micro model sampled hot says something else than its greedy trace.
    QVERIFY(c.result()->slots[kQuerySlot].multimodal.traceText != greedy);
  }

  void lists_no_checkpoint_outside_a_workspace() {
    CompareController c;
    QSignalSpy listed(&c, &CompareController::checkpointsListed);
    c.setWorkspace(WorkspaceLocation(q(fx_->path("not-a-workspace"))));
    QTRY_COMPARE_WITH_TIMEOUT(listed.count(), 1, 10000);
    QVERIFY(c.checkpoints().empty());
    QVERIFY(c.message().isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCompareController)
#include "test_compare_controller.moc"
