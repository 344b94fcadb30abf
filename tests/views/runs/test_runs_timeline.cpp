// The Runs view's Timeline tab on a micro run with two checkpoints: a triplet
// walked through both (cosines, margin, trace), the validation margins per
// checkpoint and their box summary, CSV and figure export, cancel, a triplet
// out of range, and the request the command line sends.

#include <QtTest/QtTest>

#include <QFile>
#include <QTabWidget>
#include <QTreeWidget>

#include "EvalFixture.h"
#include "MicroRun.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "views/common/WorkspaceLocation.h"
#include "views/runs/RunsView.h"
#include "views/runs/TimelinePanel.h"

using namespace moon;

class TestRunsTimeline : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx_;
  int64_t runId_ = 0;
  std::vector<RunCheckpoint> checkpoints_;

  QString q(const std::string& s) { return QString::fromStdString(s); }

 private Q_SLOTS:
  void initTestCase() {
    fx_ = std::make_unique<EvalFixture>(24);
    runId_ = test::trainMicroRun(*fx_, "timeline run", 1);
    QVERIFY(runId_ > 0);
    Workspace ws = Workspace::open(fx_->workspaceDir);
    for (RunCheckpoint& c : listCheckpoints(ws.store(), fx_->workspaceDir))
      if (c.runId == runId_) checkpoints_.push_back(std::move(c));
    QVERIFY(checkpoints_.size() >= 2);
  }

  void boxSummaryIsTukeys() {
    const BoxSummary b = boxSummary({1, 2, 3, 4, 5, 6, 7, 8, 9, 100, NAN, -0.5});
    QCOMPARE(b.count, std::size_t(11));
    QCOMPARE(b.median, 5.0);
    QCOMPARE(b.lowerQuartile, 2.5);
    QCOMPARE(b.upperQuartile, 7.5);
    QCOMPARE(b.lowerWhisker, -0.5);  // within 1.5 IQR (7.5) of the box
    QCOMPARE(b.upperWhisker, 9.0);
    QCOMPARE(b.outliers, std::vector<double>{100.0});
    QVERIFY(std::abs(b.shareBelowZero - 1.0 / 11.0) < 1e-12);
    QCOMPARE(boxSummary({}).count, std::size_t(0));
  }

  void walksATripletThroughEveryCheckpoint() {
    TimelinePanel panel;
    panel.resize(900, 700);
    panel.show();
    panel.setRun(runId_, checkpoints_, q(fx_->dataDir));
    panel.compute(QStringLiteral("val"), 0);
    QVERIFY(panel.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 120000);
    const auto& points = panel.points();
    QCOMPARE(points.size(), checkpoints_.size());
    std::size_t mmQueries = 0;
    for (const Triplet& t : fx_->dataset.split("val")) mmQueries += t.query.modality == Modality::Multimodal;
    QVERIFY(mmQueries > 0);
    for (std::size_t i = 0; i < points.size(); ++i) {
      const TimelinePoint& p = points[i];
      if (i > 0) QVERIFY(p.step > points[i - 1].step);
      QVERIFY(p.positive >= -1.0001 && p.positive <= 1.0001);
      QVERIFY(std::abs(p.margin - (p.positive - p.negative)) < 1e-5);
      QCOMPARE(p.validationMargins.size(), std::min<std::size_t>(mmQueries, 200));
      QCOMPARE(p.validationBox.count, p.validationMargins.size());
      QVERIFY(p.validationBox.lowerQuartile <= p.validationBox.median);
      for (double m : p.validationMargins) QVERIFY(m >= -2.0 && m <= 2.0);
    }
    // The two checkpoints hold different weights: their margins differ.
    QVERIFY(points.front().validationMargins != points.back().validationMargins);
    QCOMPARE(panel.table()->topLevelItemCount(), int(points.size()));

    QString error;
    const QString csv = q(fx_->catalogue.path("timeline.csv"));
    QVERIFY2(panel.exportTo(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().trimmed().split('\n').size(), int(points.size()) + 1);
    const QString png = q(fx_->catalogue.path("timeline.png"));
    QVERIFY2(panel.exportTo(png, &error), qPrintable(error));
    QVERIFY(QFileInfo(png).size() > 1000);
  }

  void cancelAndBadTriplet() {
    TimelinePanel panel;
    panel.setRun(runId_, checkpoints_, q(fx_->dataDir));
    panel.compute(QStringLiteral("val"), 0);
    panel.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 120000);
    QVERIFY2(panel.messageText().contains(QStringLiteral("Canceled")), qPrintable(panel.messageText()));
    QVERIFY(panel.points().empty());
    QString error;
    QVERIFY(!panel.exportTo(q(fx_->catalogue.path("none.csv")), &error));

    panel.compute(QStringLiteral("val"), 100000);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.isBusy(), 120000);
    QVERIFY2(panel.messageText().contains(QStringLiteral("100000")), qPrintable(panel.messageText()));
  }

  void runsViewTakesTheTimelineRequest() {
    RunsView view;
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    QVERIFY(!view.handleRequest({{QStringLiteral("tab"), QStringLiteral("nosuch")}}));
    QVERIFY(view.handleRequest({{QStringLiteral("run"), qint64(runId_)},
                                {QStringLiteral("tab"), QStringLiteral("timeline")},
                                {QStringLiteral("triplet"), QStringLiteral("val:1")}}));
    QVERIFY(!view.isReady());
    QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 120000);
    QCOMPARE(view.timelinePanel()->runId(), qint64(runId_));
    QCOMPARE(view.timelinePanel()->points().size(), checkpoints_.size());
  }
};

QTEST_MAIN(TestRunsTimeline)
#include "test_runs_timeline.moc"
