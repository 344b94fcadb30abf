// The Runs view's "Traces & cosines" tab: trace groups and cosine histograms
// read from the run store per validation step, following new steps, a clear
// message for a step that does not read, and the CSV / PNG export.
#include <QAction>
#include <QFile>
#include <QImage>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "views/common/QCustomPlotInclude.h"

#include "core/store/Workspace.h"
#include "training/events/ValidationSamples.h"
#include "views/common/WorkspaceLocation.h"
#include "views/runs/RunsView.h"
#include "views/runs/ValidationSamplesPanel.h"

using namespace moon;

namespace {

// Two queries with three samples each; the second group has no reward spread.
ValidationSamples planted(int64_t step) {
  ValidationSamples v;
  v.step = step;
  v.cosines["positive"] = CosineHistogram::of({0.8f, 0.9f, 0.85f, 0.7f});
  v.cosines["near_duplicate"] = CosineHistogram::of({0.6f, 0.75f, 0.65f, 0.7f});
  std::vector<float> other;
  for (int i = 0; i < 400; ++i) other.push_back(-0.2f + 0.001f * static_cast<float>(i));
  v.cosines["other"] = CosineHistogram::of(other);
  for (int q = 0; q < 2; ++q) {
    TraceGroup g;
    g.query = "query:" + std::to_string(q);
    g.title = q == 0 ? "want red cotton shirt" : "";
    g.image = "images/queries/q0000" + std::to_string(q + 1) + ".jpg";
    g.positive = "p0000" + std::to_string(q + 1);
    g.labels = {{"color", "red"}};
    g.zeroSpread = q == 1;
    for (int i = 0; i < 3; ++i) {
      SampledTrace s;
      s.trace = "color: " + std::string(i == 0 ? "red" : "blue");
      s.closed = i != 2;
      s.tokens = 4;
      s.rank = 1 + i;
      s.reward.total = q == 1 ? 1.0 : 1.5 - 0.5 * i;
      s.advantage = q == 1 ? 0.0 : 1.22 * (1 - i);
      g.samples.push_back(s);
    }
    v.groups.push_back(g);
  }
  return v;
}

}  // namespace

class TestRunsSamples : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private Q_SLOTS:
  void showsGroupsAndHistogramsAndFollowsNewSteps() {
    Workspace ws = Workspace::open(tmp_.filePath("ws").toStdString(), true);
    const int64_t id = ws.createRun(RunRecord{});
    ValidationSamplesPanel panel;
    panel.showRun(id, &ws.store());
    QVERIFY(panel.steps().isEmpty());
    QVERIFY2(panel.messageText().contains("No validation samples yet"), qPrintable(panel.messageText()));

    ws.store().putValidationSamples(id, 50, planted(50).toJson().dump());
    panel.refresh();
    QCOMPARE(panel.steps(), (QList<qint64>{50}));
    QCOMPARE(panel.shownStep().value_or(-1), qint64(50));
    QTreeWidget* tree = panel.groupTree();
    QCOMPARE(tree->topLevelItemCount(), 2);
    QCOMPARE(tree->topLevelItem(0)->childCount(), 3);
    QVERIFY(tree->topLevelItem(0)->text(0).startsWith("want red cotton shirt"));
    QVERIFY(tree->topLevelItem(1)->text(0).startsWith("q00002.jpg"));  // an image query goes by its file
    QCOMPARE(tree->topLevelItem(1)->text(7), QString("no spread"));
    QVERIFY(tree->topLevelItem(0)->child(2)->text(0).contains("cut at the cap"));
    QCOMPARE(tree->topLevelItem(0)->child(0)->text(7), QString("+1.22"));
    QCOMPARE(tree->topLevelItem(0)->text(6), QString("1.00 ± 0.41"));
    QVERIFY2(panel.messageText().contains("1 with no reward spread"), qPrintable(panel.messageText()));

    // Densities: each histogram integrates to 1 over its bins.
    QCustomPlot* plot = panel.histogramPlot();
    QCOMPARE(plot->graphCount(), 3);
    for (int i = 0; i < plot->graphCount(); ++i) {
      const auto* data = plot->graph(i)->data().data();
      QCOMPARE(data->size(), 80);
      double area = 0;
      for (auto it = data->constBegin(); it != data->constEnd(); ++it) area += it->value * (2.0 / 80);
      QVERIFY2(std::abs(area - 1.0) < 1e-9, QByteArray::number(area));
    }
    QCOMPARE(plot->legend->itemCount(), 3);

    // A new validation while the latest is shown: followed.
    ws.store().putValidationSamples(id, 100, planted(100).toJson().dump());
    panel.refresh();
    QCOMPARE(panel.steps(), (QList<qint64>{50, 100}));
    QCOMPARE(panel.shownStep().value_or(-1), qint64(100));
    // An older step chosen by the user stays chosen when another arrives.
    QVERIFY(panel.showStep(50));
    ws.store().putValidationSamples(id, 150, planted(150).toJson().dump());
    panel.refresh();
    QCOMPARE(panel.steps().size(), 3);
    QCOMPARE(panel.shownStep().value_or(-1), qint64(50));
  }

  void exportsCsvAndPng() {
    Workspace ws = Workspace::open(tmp_.filePath("export").toStdString(), true);
    const int64_t id = ws.createRun(RunRecord{});
    ws.store().putValidationSamples(id, 20, planted(20).toJson().dump());
    ValidationSamplesPanel panel;
    panel.resize(700, 500);
    panel.showRun(id, &ws.store());
    QString error;
    const QString csv = tmp_.filePath("groups.csv");
    QVERIFY2(panel.exportTo(csv, &error), qPrintable(error));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(f.readAll());
    QCOMPARE(text.count('\n'), 7);  // header + 2 groups × 3 samples
    QVERIFY(text.startsWith("step,query,title"));
    const QString png = tmp_.filePath("cosines.png");
    QVERIFY2(panel.exportTo(png, &error), qPrintable(error));
    QVERIFY(!QImage(png).isNull());
    QVERIFY(!panel.exportTo(tmp_.filePath("cosines.svg"), &error));
    QVERIFY2(error.contains(".csv"), qPrintable(error));
  }

  void unreadableSamplesGiveAMessageNotACrash() {
    Workspace ws = Workspace::open(tmp_.filePath("broken").toStdString(), true);
    const int64_t id = ws.createRun(RunRecord{});
    ws.store().putValidationSamples(id, 10, R"({"step": 10, "direction": "mm->mm"})");
    ws.store().putValidationSamples(id, 20, "not json");
    ValidationSamplesPanel panel;
    panel.showRun(id, &ws.store());
    QVERIFY(!panel.shownStep());
    QVERIFY2(panel.messageText().contains("step 20 do not read"), qPrintable(panel.messageText()));
    QVERIFY(!panel.showStep(10));
    QVERIFY2(panel.messageText().contains("cosines"), qPrintable(panel.messageText()));
    QVERIFY(!panel.showStep(30));
    QVERIFY2(panel.messageText().contains("no validation samples at step 30"), qPrintable(panel.messageText()));
    QCOMPARE(panel.groupTree()->topLevelItemCount(), 0);
  }

  void runsViewShowsTheTabForTheSelectedRun() {
    Workspace ws = Workspace::open(tmp_.filePath("view").toStdString(), true);
    RunRecord r;
    r.name = "with samples";
    const int64_t id = ws.createRun(r);
    ws.store().putValidationSamples(id, 40, planted(40).toJson().dump());
    RunsView view;
    view.setWorkspace(WorkspaceLocation(tmp_.filePath("view")));
    view.selectRuns({id});
    QVERIFY(view.handleRequest({{"tab", "traces"}}));  // what `moon-workbench --view runs --tab traces` asks
    QCOMPARE(view.rightTabs()->currentWidget(), view.samplesPanel());
    QVERIFY(!view.handleRequest({{"tab", "histograms"}}));
    // The toolbar's export names what it exports on this tab, and is enabled once a step is shown.
    QAction* exportAction = nullptr;
    for (QAction* a : view.toolBarActions())
      if (a->text().startsWith("Export")) exportAction = a;
    QVERIFY(exportAction);
    QCOMPARE(exportAction->text(), QString("Export Samples…"));
    QVERIFY(exportAction->isEnabled());
    view.rightTabs()->setCurrentIndex(0);
    QCOMPARE(exportAction->text(), QString("Export Chart…"));
    view.rightTabs()->setCurrentWidget(view.samplesPanel());
    QCOMPARE(view.samplesPanel()->runId(), qint64(id));
    QCOMPARE(view.samplesPanel()->shownStep().value_or(-1), qint64(40));
    QCOMPARE(view.samplesPanel()->groupTree()->topLevelItemCount(), 2);
  }
};

QTEST_MAIN(TestRunsSamples)
#include "test_runs_samples.moc"
