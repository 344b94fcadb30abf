// The Failures view on a micro run's checkpoint: with no stored evaluation it
// evaluates in a job and stores the result, a second opening reads it back;
// the table is worst first and filters; a row opens its triplet in Compare;
// CSV export; cancel stores nothing; a missing checkpoint or split is a
// message, not a crash.

#include <QtTest/QtTest>

#include <QComboBox>
#include <QFile>
#include <QSignalSpy>
#include <QTableView>

#include "EvalFixture.h"
#include "MicroRun.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "views/common/WorkspaceLocation.h"
#include "views/failures/FailureTableModel.h"
#include "views/failures/FailuresView.h"
#include "views/shell/MainWindow.h"
#include "views/shell/StandardViews.h"

using namespace moon;

class TestFailuresView : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx_;
  int64_t runId_ = 0;
  QString checkpoint_;

  QString q(const std::string& s) { return QString::fromStdString(s); }

  std::size_t storedEvaluations() {
    Workspace ws = Workspace::open(fx_->workspaceDir);
    return ws.store().evaluations(runId_).size();
  }

  void waitReady(FailuresView& view) { QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 120000); }

 private Q_SLOTS:
  void initTestCase() {
    fx_ = std::make_unique<EvalFixture>(24);
    runId_ = test::trainMicroRun(*fx_, "failures run", 2);
    QVERIFY(runId_ > 0);
    Workspace ws = Workspace::open(fx_->workspaceDir);
    checkpoint_ = QDir::cleanPath(q(selectRunCheckpoint(ws, runId_, std::nullopt).dir.string()));
  }

  void evaluatesWhenNothingIsStoredThenReadsTheStoredOne() {
    QCOMPARE(storedEvaluations(), std::size_t(0));
    FailuresView view;
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.activated();  // the shell's call when the view is shown: the default checkpoint loads
    QVERIFY(!view.isReady());
    waitReady(view);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QCOMPARE(view.checkpoint(), checkpoint_);
    QVERIFY(view.source() && view.source()->evaluatedNow && view.source()->evaluationId);
    QCOMPARE(storedEvaluations(), std::size_t(1));
    const std::size_t cases = view.model()->cases().size();
    QVERIFY(cases > 0);
    // Worst first, and the first column counts from 1.
    const auto& all = view.model()->cases();
    for (std::size_t i = 1; i < all.size(); ++i) QVERIFY(!failsWorse(all[i], all[i - 1]));
    QCOMPARE(view.filter()->index(0, FailureTableModel::SeverityColumn).data().toInt(), 1);
    // The micro model reasons: its greedy traces are in the rows, scored against the labels.
    QVERIFY(std::any_of(all.begin(), all.end(), [](const FailureCase& c) { return !c.trace.empty(); }));
    for (const auto& c : all)
      if (!c.trace.empty()) QVERIFY(c.attributesLabelled > 0 && c.attributeErrors.size() <= c.attributesLabelled);

    FailuresView again;
    again.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    again.load(checkpoint_, QStringLiteral("test"));
    waitReady(again);
    QVERIFY(again.source() && !again.source()->evaluatedNow);
    QCOMPARE(again.source()->evaluationId, view.source()->evaluationId);
    QCOMPARE(again.model()->cases().size(), cases);
    QCOMPARE(storedEvaluations(), std::size_t(1));
  }

  void filtersOpenInCompareAndExport() {
    FailuresView view;
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.load(checkpoint_, QStringLiteral("test"));
    waitReady(view);
    const auto& all = view.model()->cases();
    const int total = view.filter()->rowCount();
    QCOMPARE(total, int(all.size()));

    view.filter()->setDirection(QStringLiteral("mm->mm"));
    const auto mm = view.filter()->visibleCases();
    QCOMPARE(mm.size(), std::size_t(std::count_if(all.begin(), all.end(),
                                                  [](const FailureCase& c) { return c.direction == "mm->mm"; })));
    for (const auto& c : mm) QCOMPARE(c.direction, std::string("mm->mm"));
    view.filter()->setDirection({});
    view.filter()->setKind(FailureFilterModel::Kind::NearDuplicateAbove);
    for (const auto& c : view.filter()->visibleCases()) QVERIFY(c.margin < 0);
    QCOMPARE(view.filter()->rowCount(),
             int(std::count_if(all.begin(), all.end(), [](const FailureCase& c) { return c.nearDuplicateAbove; })));
    view.filter()->setKind(FailureFilterModel::Kind::All);
    view.filter()->setText(q(all.front().positive));
    QVERIFY(view.filter()->rowCount() >= 1);
    for (const auto& c : view.filter()->visibleCases())
      QVERIFY(c.positive == all.front().positive || c.negative == all.front().positive ||
              c.queryTitle.find(all.front().positive) != std::string::npos ||
              c.trace.find(all.front().positive) != std::string::npos);
    view.filter()->setText({});

    // Sorting by margin puts the smallest first.
    view.table()->sortByColumn(FailureTableModel::MarginColumn, Qt::AscendingOrder);
    const auto byMargin = view.filter()->visibleCases();
    for (std::size_t i = 1; i < byMargin.size(); ++i) QVERIFY(byMargin[i - 1].margin <= byMargin[i].margin);
    view.table()->sortByColumn(FailureTableModel::SeverityColumn, Qt::AscendingOrder);

    QSignalSpy open(&view, &WorkbenchView::openRequested);
    QVERIFY(view.openInCompare(0));
    QCOMPARE(open.count(), 1);
    QCOMPARE(open.at(0).at(0).toString(), QStringLiteral("compare"));
    const QVariantMap request = open.at(0).at(1).toMap();
    QCOMPARE(request.value(QStringLiteral("checkpoint")).toString(), checkpoint_);
    QCOMPARE(request.value(QStringLiteral("triplet")).toString(), QStringLiteral("test:%1").arg(all.front().triplet));
    QCOMPARE(QDir::cleanPath(request.value(QStringLiteral("dataset")).toString()), QDir::cleanPath(q(fx_->dataDir)));
    QVERIFY(!view.openInCompare(total));  // past the end

    const QString csv = q(fx_->catalogue.path("failures.csv"));
    QString error;
    view.filter()->setDirection(QStringLiteral("t->mm"));
    QVERIFY2(view.exportCsv(csv, &error), qPrintable(error));
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), view.filter()->rowCount() + 1);
    for (int i = 1; i < lines.size(); ++i) QVERIFY(lines[i].startsWith("t->mm,"));
  }

  void shellRoutesARowToCompare() {
    MainWindow window(standardViews());
    auto* failures = qobject_cast<FailuresView*>(window.view(QStringLiteral("failures")));
    QVERIFY(failures);
    QVERIFY(window.viewIds().indexOf(QStringLiteral("failures")) > window.viewIds().indexOf(QStringLiteral("compare")));
    QVERIFY(failures->handleRequest({{QStringLiteral("checkpoint"), checkpoint_}}));
    QVERIFY(!failures->handleRequest({{QStringLiteral("triplet"), QStringLiteral("3")}}));
    waitReady(*failures);
    QVERIFY2(failures->message().isEmpty(), qPrintable(failures->message()));
    QVERIFY(failures->openInCompare(0));
    QCOMPARE(window.currentViewId(), QStringLiteral("compare"));
  }

  void cancelStoresNothing() {
    const std::size_t before = storedEvaluations();
    FailuresView view;
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.load(checkpoint_, QStringLiteral("test"), /*reevaluate=*/true);
    view.cancel();
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("Canceled")), qPrintable(view.message()));
    QVERIFY(!view.source());
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(storedEvaluations(), before);
  }

  void missingCheckpointOrSplitIsAMessage() {
    FailuresView view;
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    const QString missing = q(fx_->catalogue.path("no-such-checkpoint"));
    view.load(missing, QStringLiteral("test"));
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("no-such-checkpoint")), qPrintable(view.message()));
    QCOMPARE(view.model()->rowCount(), 0);

    view.load(checkpoint_, QStringLiteral("nosuch"));
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("nosuch")), qPrintable(view.message()));
    QCOMPARE(view.model()->rowCount(), 0);

    view.load(checkpoint_, QStringLiteral("test"));  // and it recovers
    waitReady(view);
    QVERIFY(view.message().isEmpty());
    QVERIFY(view.model()->rowCount() > 0);
  }
};

QTEST_MAIN(TestFailuresView)
#include "test_failures_view.moc"
