// The Embeddings view on a micro run's checkpoint: the map is made on a worker
// thread while the GUI thread keeps running, then read from the cache next to
// the checkpoint; colours, the table and the map select each other; a click
// lists neighbours with near-duplicates marked; a second map aligns to the
// first; exports; cancel keeps the previous map; bad input is a message.

#include <QtTest/QtTest>

#include <QElapsedTimer>
#include <QFile>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QTreeWidget>

#include <set>

#include "EvalFixture.h"
#include "MicroRun.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "core/synth/CatalogueGenerator.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "views/common/QCustomPlotInclude.h"
#include "views/common/WorkspaceLocation.h"
#include "views/embeddings/EmbeddingScatter.h"
#include "views/embeddings/EmbeddingsView.h"

using namespace moon;

// The GUI thread keeping up while a job works: a 5 ms timer's ticks and the
// longest gap between them, from construction to stop().
struct GuiTicks {
  QElapsedTimer clock;
  QTimer timer;
  qint64 last = 0, longestGap = 0;
  int ticks = 0;
  GuiTicks() {
    clock.start();
    QObject::connect(&timer, &QTimer::timeout, [this] {
      const qint64 now = clock.elapsed();
      longestGap = std::max(longestGap, now - last);
      last = now;
      ++ticks;
    });
    timer.start(5);
  }
  void stop() { timer.stop(); }
};

class TestEmbeddingsView : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx_;
  QString checkpoint_;

  QString q(const std::string& s) { return QString::fromStdString(s); }
  void waitReady(EmbeddingsView& view) { QTRY_VERIFY_WITH_TIMEOUT(view.isReady(), 120000); }

  int lines(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    return int(f.readAll().trimmed().split('\n').size());
  }

 private Q_SLOTS:
  void initTestCase() {
    fx_ = std::make_unique<EvalFixture>(24);
    const int64_t runId = test::trainMicroRun(*fx_, "map run", 2);
    QVERIFY(runId > 0);
    Workspace ws = Workspace::open(fx_->workspaceDir);
    checkpoint_ = QDir::cleanPath(q(selectRunCheckpoint(ws, runId, std::nullopt).dir.string()));
  }

  void mapsOffTheGuiThreadThenReadsTheCache() {
    EmbeddingsView view;
    view.resize(1200, 800);
    view.show();
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.activated();  // the default checkpoint's map starts when the view is shown
    // The GUI thread keeps running while the job works: a 5 ms timer keeps firing.
    GuiTicks probe;
    waitReady(view);
    probe.stop();
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QCOMPARE(view.checkpoint(), checkpoint_);
    QVERIFY(view.data());
    QCOMPARE(view.data()->points.size(), fx_->dataset.products().size());
    QVERIFY(!view.data()->map.embeddingsFromCache);
    QVERIFY2(probe.ticks >= 3 && probe.longestGap < 250,
             qPrintable(QStringLiteral("%1 ticks, longest gap %2 ms in %3 ms")
                            .arg(probe.ticks)
                            .arg(probe.longestGap)
                            .arg(probe.clock.elapsed())));
    QCOMPARE(view.scatter()->pointCount(), int(view.data()->points.size()));

    EmbeddingsView again;
    again.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    QElapsedTimer second;
    second.start();
    again.load(checkpoint_);
    waitReady(again);
    QVERIFY(again.data() && again.data()->map.embeddingsFromCache && again.data()->map.projectionFromCache);
    qInfo("the second opening took %lld ms (both steps from the cache)", second.elapsed());
    QCOMPARE(again.data()->map.xy, view.data()->map.xy);
  }

  // The scale: 2,000 products mapped while the GUI thread keeps
  // running, then read back from the cache. Times are printed, not asserted
  // (a loaded CI machine is slower; bench_* measure speed): the GUI-thread
  // bound only catches the mapping running on it, which takes seconds. A
  // bare model checkpoint names no dataset, so the workspace's demo
  // catalogue is used.
  void twoThousandProductsOffTheGuiThread() {
    QTemporaryDir root;
    const std::string ws = root.filePath(QStringLiteral("ws")).toStdString();
    const std::string data = ws + "/datasets/demo";
    generateCatalogue(data, test::smallCatalogue(2000, 32, 9));
    const BpeTokenizer tokenizer = loadDatasetTokenizer(data);
    ModelConfig config = modelPreset("micro");
    config.language.vocab_size = std::max(config.language.vocab_size, tokenizer.vocabSize());
    torch::manual_seed(5);
    MoonModel model(config);
    const std::string checkpoint = root.filePath(QStringLiteral("model")).toStdString();
    saveModelCheckpoint(checkpoint, *model, (std::filesystem::path(data) / kDatasetTokenizerFile).string());

    EmbeddingsView view;
    view.resize(1200, 800);
    view.show();
    view.setWorkspace(WorkspaceLocation(QString::fromStdString(ws)));
    view.setEmbedding(MapEmbedding::Disc);
    GuiTicks probe;
    view.load(q(checkpoint));
    waitReady(view);
    probe.stop();
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QCOMPARE(view.data()->points.size(), std::size_t(2000));
    qInfo("2,000 products mapped in %lld ms; the GUI thread's longest gap was %lld ms (%d ticks)",
          probe.clock.elapsed(), probe.longestGap, probe.ticks);
    QVERIFY2(probe.longestGap < 1000, qPrintable(QString::number(probe.longestGap)));

    EmbeddingsView again;
    again.setWorkspace(WorkspaceLocation(QString::fromStdString(ws)));
    again.setEmbedding(MapEmbedding::Disc);
    QElapsedTimer second;
    second.start();
    again.load(q(checkpoint));
    waitReady(again);
    QVERIFY(again.data() && again.data()->map.embeddingsFromCache && again.data()->map.projectionFromCache);
    qInfo("the second opening took %lld ms (both steps from the cache)", second.elapsed());
  }

  void coloursSelectionAndNeighbours() {
    EmbeddingsView view;
    view.resize(1200, 800);
    view.show();
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.load(checkpoint_);
    waitReady(view);
    const auto& points = view.data()->points;

    view.setColourBy(EmbeddingsView::ColourBy::Fine);
    std::set<std::string> fine;
    for (const auto& p : points) fine.insert(p.fineCategory);
    QCOMPARE(std::size_t(view.colourGroups().size()), fine.size());
    for (std::size_t i = 0; i < points.size(); ++i)
      QCOMPARE(view.colourGroups().at(view.colourOf()[i]), q(points[i].fineCategory));
    view.setColourBy(EmbeddingsView::ColourBy::Split);
    for (std::size_t i = 0; i < points.size(); ++i)
      if (!points[i].split.empty()) QCOMPARE(view.colourGroups().at(view.colourOf()[i]), q(points[i].split));

    // Map -> table.
    view.selectPoints({0, 2, 5});
    QCOMPARE(view.table()->selectionModel()->selectedRows().size(), 3);
    // Table -> map.
    view.table()->selectionModel()->select(view.table()->model()->index(1, 0),
                                           QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(view.selectedPoints().size(), 1);
    // A box over the whole plot selects every point.
    QCustomPlot* plot = view.scatter()->plot();
    plot->replot();
    QCOMPARE(view.scatter()->pointsIn(QRectF(plot->rect())).size(), int(points.size()));
    QVERIFY(view.scatter()->pointAt(QPointF(plot->xAxis->coordToPixel(view.scatter()->point(3).x()),
                                            plot->yAxis->coordToPixel(view.scatter()->point(3).y()))) >= 0);

    // A click: the ten nearest by cosine, best first; near-duplicates are of the same group.
    int focused = -1;
    for (std::size_t i = 0; i < points.size() && focused < 0; ++i)
      if (points[i].triplet >= 0) focused = int(i);
    QVERIFY(focused >= 0);
    view.focusPoint(focused);
    QTreeWidget* tree = view.neighbours();
    QVERIFY(tree->topLevelItemCount() >= 10);
    double previous = 2.0;
    for (int i = 0; i < 10; ++i) {
      const double cosine = tree->topLevelItem(i)->text(2).toDouble();
      QVERIFY(cosine <= previous + 1e-6);
      previous = cosine;
    }
    bool sawNearDuplicate = false;
    for (int i = 0; i < tree->topLevelItemCount(); ++i) {
      QTreeWidgetItem* item = tree->topLevelItem(i);
      const int row = item->data(0, Qt::UserRole).toInt();
      const bool marked = item->text(3).startsWith(QStringLiteral("near-duplicate"));
      QCOMPARE(marked, points[std::size_t(row)].group == points[std::size_t(focused)].group);
      sawNearDuplicate |= marked;
    }
    QVERIFY(sawNearDuplicate);  // every positive has a near-duplicate: listed in or below the ten
    QSignalSpy open(&view, &WorkbenchView::openRequested);
    QVERIFY(view.compareFocused());
    QCOMPARE(open.count(), 1);
    QCOMPARE(
        open.at(0).at(1).toMap().value(QStringLiteral("triplet")).toString(),
        QStringLiteral("%1:%2").arg(q(points[std::size_t(focused)].split)).arg(points[std::size_t(focused)].triplet));
  }

  void alignsExportsCancelsAndReportsBadInput() {
    EmbeddingsView view;
    view.resize(1200, 800);
    view.show();
    view.setWorkspace(WorkspaceLocation(fx_->catalogue.qWorkspaceDir()));
    view.setEmbedding(MapEmbedding::Disc);
    view.load(checkpoint_);
    waitReady(view);
    QCOMPARE(view.data()->alignedOn, std::size_t(0));
    view.setAlignToShown(true);
    view.setEmbedding(MapEmbedding::Reasoned);
    view.load(checkpoint_);
    waitReady(view);
    QVERIFY2(view.message().isEmpty(), qPrintable(view.message()));
    QCOMPARE(view.data()->alignedOn, view.data()->points.size());
    view.setAlignToShown(false);

    const std::size_t n = view.data()->points.size();
    QString error;
    for (const char* ext : {"png", "svg", "pdf"}) {
      const QString file = q(fx_->catalogue.path(std::string("map.") + ext));
      QVERIFY2(view.exportFigure(file, &error), qPrintable(error));
      QVERIFY(QFileInfo(file).size() > 1000);
    }
    const QString pointsCsv = q(fx_->catalogue.path("points.csv"));
    QVERIFY2(view.exportPoints(pointsCsv, &error), qPrintable(error));
    QCOMPARE(lines(pointsCsv), int(n) + 1);
    const QString selectionCsv = q(fx_->catalogue.path("selection.csv"));
    view.selectPoints({});
    QVERIFY(!view.exportSelection(selectionCsv, &error));
    view.selectPoints({1, 4});
    QVERIFY2(view.exportSelection(selectionCsv, &error), qPrintable(error));
    QCOMPARE(lines(selectionCsv), 3);

    // Cancel: an uncached embedding, stopped at once; the map shown stays.
    const auto before = view.data();
    view.setEmbedding(MapEmbedding::Image);
    view.load(checkpoint_);
    view.cancel();
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("Canceled")), qPrintable(view.message()));
    QCOMPARE(view.data(), before);

    view.load(q(fx_->catalogue.path("no-such-checkpoint")));
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("no-such-checkpoint")), qPrintable(view.message()));
    view.setEmbedding(MapEmbedding::Reasoned);
    QVERIFY(view.handleRequest(
        {{QStringLiteral("checkpoint"), checkpoint_}, {QStringLiteral("split"), QStringLiteral("nosuch")}}));
    waitReady(view);
    QVERIFY2(view.message().contains(QStringLiteral("nosuch")), qPrintable(view.message()));
    QVERIFY(!view.handleRequest(
        {{QStringLiteral("checkpoint"), checkpoint_}, {QStringLiteral("embedding"), QStringLiteral("wild")}}));
    QVERIFY(!view.handleRequest({{QStringLiteral("triplet"), QStringLiteral("3")}}));
  }
};

QTEST_MAIN(TestEmbeddingsView)
#include "test_embeddings_view.moc"
