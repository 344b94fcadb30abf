// Live charts: incremental feed from the store, EMA smoothing, batched
// replots with 100,000 points, and export to PNG, SVG, PDF and CSV.
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "views/common/QCustomPlotInclude.h"

#include <cmath>

#include "core/store/Workspace.h"
#include "views/runs/ChartDecimation.h"
#include "views/runs/ChartPanel.h"
#include "views/runs/MetricChart.h"
#include "views/runs/MetricFeed.h"

using namespace moon;

namespace {

QVector<double> range(int from, int to) {
  QVector<double> v;
  for (int i = from; i < to; ++i) v << i;
  return v;
}

}  // namespace

class TestRunsCharts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void feedReadsOnlyNewPoints() {
    QTemporaryDir tmp;
    Workspace ws = Workspace::open(tmp.filePath("ws").toStdString(), true);
    RunRecord r;
    r.name = "a";
    const int64_t id = ws.createRun(r);
    std::vector<MetricPoint> pts;
    for (int s = 1; s <= 5; ++s) pts.push_back({s, "train/loss", 10.0 - s, 0});
    pts.push_back({5, "val/mm->mm/R@10", 0.5, 0});
    ws.store().appendMetrics(id, pts);

    MetricFeed feed;
    feed.setDatabase(QString::fromStdString(ws.databasePath().string()));
    ChartPanel panel;
    connect(&feed, &MetricFeed::pointsArrived, &panel, &ChartPanel::addPoints);
    QSignalSpy arrived(&feed, &MetricFeed::pointsArrived);
    QSignalSpy keys(&feed, &MetricFeed::keysChanged);
    feed.setRuns({id});
    feed.poll();
    QCOMPARE(arrived.count(), 2);
    QCOMPARE(keys.count(), 1);
    QCOMPARE(feed.keys(), (QStringList{"train/loss", "val/mm->mm/R@10"}));
    QVERIFY(panel.chart("Losses"));
    QCOMPARE(panel.chart("Losses")->pointCount(id, "train/loss"), 5);
    QCOMPARE(panel.chart("Validation")->pointCount(id, "val/mm->mm/R@10"), 1);

    arrived.clear();
    feed.poll();
    QCOMPARE(arrived.count(), 0);  // nothing new, nothing sent

    ws.store().appendMetrics(id, {{6, "train/loss", 3.0, 0}, {7, "train/loss", 2.5, 0}});
    feed.poll();
    QCOMPARE(arrived.count(), 1);
    QCOMPARE(arrived.at(0).at(2).value<QVector<double>>(), (QVector<double>{6, 7}));
    QCOMPARE(panel.chart("Losses")->pointCount(id, "train/loss"), 7);

    QSignalSpy removed(&feed, &MetricFeed::runRemoved);
    connect(&feed, &MetricFeed::runRemoved, &panel, &ChartPanel::removeRun);
    feed.setRuns({});
    QCOMPARE(removed.count(), 1);
    QCOMPARE(panel.chart("Losses")->seriesCount(), 0);
  }

  // A long run arrives in slices, the rest from follow-up polls the event
  // loop runs, so selecting it never holds the GUI thread for the whole read.
  void aLongRunIsReadInSlices() {
    QTemporaryDir tmp;
    Workspace ws = Workspace::open(tmp.filePath("ws").toStdString(), true);
    RunRecord r;
    r.name = "long";
    const int64_t id = ws.createRun(r);
    const int total = int(MetricFeed::kSliceRows * 2 + 1234);
    std::vector<MetricPoint> pts;
    for (int s = 0; s < total; ++s) pts.push_back({s, "train/loss", double(s % 100), 0});
    pts.push_back({3, "lr", 1e-3, 0});
    ws.store().appendMetrics(id, pts);

    MetricFeed feed;
    feed.setDatabase(QString::fromStdString(ws.databasePath().string()));
    ChartPanel panel;
    connect(&feed, &MetricFeed::pointsArrived, &panel, &ChartPanel::addPoints);
    feed.setRuns({id});
    feed.poll();
    MetricChart* losses = panel.chart("Losses");
    QVERIFY(losses);
    QVERIFY(losses->pointCount(id, "train/loss") <= int(MetricFeed::kSliceRows));
    QVERIFY(feed.hasMore());
    QTRY_VERIFY_WITH_TIMEOUT(!feed.hasMore(), 30000);
    QCOMPARE(losses->pointCount(id, "train/loss"), total);  // every point once, in order
    QCOMPARE(feed.keys(), (QStringList{"lr", "train/loss"}));
  }

  // M4 keeps each pixel column's first, lowest, highest and last point: a
  // one-point spike in a million survives, and short ranges pass unchanged.
  void decimationKeepsSpikes() {
    QVector<double> steps, values;
    for (int i = 0; i < 1000000; ++i) {
      steps << i;
      values << std::sin(i / 5000.0);
    }
    values[654321] = 100.0;
    values[10] = NAN;
    const DecimatedSeries d = decimateM4(steps, values, 0, 999999, 800);
    QVERIFY(d.steps.size() <= 4 * 800 + 2 && d.steps.size() > 800);
    QVERIFY(d.values.contains(100.0));
    QCOMPARE(d.steps.constFirst(), 0.0);
    QCOMPARE(d.steps.constLast(), 999999.0);
    for (int i = 1; i < d.steps.size(); ++i) QVERIFY(d.steps[i] > d.steps[i - 1]);
    for (double v : d.values) QVERIFY(std::isfinite(v));
    // A zoomed range: only its points (and one beyond each edge), all of them when few.
    const DecimatedSeries z = decimateM4(steps, values, 500000, 500100, 800);
    QCOMPARE(z.steps.size(), 103);
    QCOMPARE(z.steps.constFirst(), 499999.0);
  }

  void aLongSeriesIsDrawnDecimated() {
    MetricChart chart("Losses");
    chart.resize(800, 400);
    chart.show();
    QVector<double> steps, values;
    const int n = MetricChart::kDirectPoints * 3;
    for (int i = 0; i < n; ++i) {
      steps << i;
      values << 1.0 + 0.001 * (i % 7);
    }
    values[n / 3] = 50.0;  // a spike
    chart.addPoints(1, "train/loss", steps, values);
    QSignalSpy replotted(&chart, &MetricChart::replotted);
    QVERIFY(replotted.wait(2000));
    QCOMPARE(chart.pointCount(1, "train/loss"), n);
    QCPGraph* raw = chart.plot()->graph(0);
    QVERIFY(raw->dataCount() < n / 4);
    bool spike = false;
    for (auto it = raw->data()->constBegin(); it != raw->data()->constEnd(); ++it) spike |= it->value == 50.0;
    QVERIFY(spike);
    QVERIFY(chart.plot()->yAxis->range().upper >= 50.0);  // the fit saw the spike too
    // Zooming in redraws from the series itself: every point of a narrow range.
    chart.plot()->xAxis->setRange(1000, 1100);
    QVERIFY(replotted.wait(2000));
    int inRange = 0;
    for (auto it = raw->data()->constBegin(); it != raw->data()->constEnd(); ++it)
      inRange += it->key >= 1000 && it->key <= 1100;
    QCOMPARE(inRange, 101);
  }

  void smoothingIsADebiasedEma() {
    MetricChart chart("Losses");
    chart.setSmoothing(0.5);
    chart.addPoints(1, "train/loss", {1, 2, 3}, {4, 2, 8});
    QCPGraph* smooth = nullptr;
    for (int i = 0; i < chart.plot()->graphCount(); ++i)
      if (chart.plot()->graph(i)->visible() && chart.plot()->graph(i)->pen().color().alpha() == 255)
        smooth = chart.plot()->graph(i);
    QVERIFY(smooth);
    QCOMPARE(smooth->data()->size(), 3);
    // ema: 2, 2, 5 -> debiased by 1-0.5^n: 4, 2.6667, 5.7143
    QVERIFY(std::abs(smooth->data()->at(0)->value - 4.0) < 1e-9);
    QVERIFY(std::abs(smooth->data()->at(1)->value - 2.0 / 0.75) < 1e-9);
    QVERIFY(std::abs(smooth->data()->at(2)->value - 5.0 / 0.875) < 1e-9);
    // Points not after the last step are dropped, keeping the data sorted.
    chart.addPoints(1, "train/loss", {2, 3}, {9, 9});
    QCOMPARE(chart.pointCount(1, "train/loss"), 3);
  }

  void aLonePointIsDrawnAsADot() {
    // One validation so far draws no line segment: the point is a dot until a second arrives.
    MetricChart chart("Validation");
    chart.addPoints(1, "val/R@10", {40}, {0.45});
    QCOMPARE(chart.plot()->graphCount(), 2);  // raw and smoothed
    for (int i = 0; i < chart.plot()->graphCount(); ++i)
      QCOMPARE(chart.plot()->graph(i)->scatterStyle().shape(), QCPScatterStyle::ssDisc);
    chart.addPoints(1, "val/R@10", {80}, {0.5});
    for (int i = 0; i < chart.plot()->graphCount(); ++i)
      QCOMPARE(chart.plot()->graph(i)->scatterStyle().shape(), QCPScatterStyle::ssNone);
  }

  void hundredThousandPointsStayFluid() {
    MetricChart chart("Losses");
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    chart.setSmoothing(0.9);
    QElapsedTimer t;
    t.start();
    // 100 polls of 1,000 points each, as a fast live run would deliver them.
    for (int chunk = 0; chunk < 100; ++chunk) {
      const QVector<double> x = range(chunk * 1000, (chunk + 1) * 1000);
      QVector<double> y;
      for (double s : x) y << std::exp(-s / 30000.0) + 0.1 * std::sin(s);
      chart.addPoints(7, "train/loss", x, y);
    }
    const qint64 appendMs = t.elapsed();
    QCOMPARE(chart.pointCount(7, "train/loss"), 100000);
    QCOMPARE(chart.replotCount(), 0);  // batched: nothing drawn yet
    QSignalSpy replotted(&chart, &MetricChart::replotted);
    QVERIFY(replotted.wait(2000));
    QCOMPARE(chart.replotCount(), 1);  // one replot for the burst
    t.restart();
    for (int i = 0; i < 5; ++i) chart.plot()->replot(QCustomPlot::rpImmediateRefresh);
    const qint64 replotMs = t.elapsed() / 5;
    qInfo("append 100k points: %lld ms; one replot: %lld ms", appendMs, replotMs);
    QVERIFY2(appendMs < 2000, qPrintable(QString::number(appendMs)));
    QVERIFY2(replotMs < 500, qPrintable(QString::number(replotMs)));
    QVERIFY(std::abs(chart.plot()->xAxis->range().upper - 99999) < 1);
  }

  void exportsPngSvgPdfAndCsv() {
    QTemporaryDir tmp;
    MetricChart chart("Losses");
    chart.resize(640, 360);
    chart.setRunLabel(3, "demo, \"quoted\"");
    chart.addPoints(3, "train/loss", {1, 2, 3, 4}, {2.0, 1.5, 1.2, 1.0});
    chart.addPoints(3, "train/loss_emb", {1, 2, 3, 4}, {1.0, 0.8, 0.7, 0.6});
    QString error;

    const QString png = tmp.filePath("c.png");
    QVERIFY2(chart.exportTo(png, &error), qPrintable(error));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 640);

    const QString svg = tmp.filePath("c.svg");
    QVERIFY2(chart.exportTo(svg, &error), qPrintable(error));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    const QByteArray svgBytes = svgFile.readAll();
    QVERIFY(svgBytes.startsWith("<?xml") || svgBytes.startsWith("<svg"));
    QXmlStreamReader xml(svgBytes);
    bool sawSvg = false;
    int paths = 0;
    while (!xml.atEnd()) {
      xml.readNext();
      if (xml.isStartElement() && xml.name() == QLatin1String("svg")) sawSvg = true;
      if (xml.isStartElement() && (xml.name() == QLatin1String("path") || xml.name() == QLatin1String("polyline")))
        ++paths;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvg);
    QVERIFY(paths > 2);

    const QString pdf = tmp.filePath("c.pdf");
    QVERIFY2(chart.exportTo(pdf, &error), qPrintable(error));
    QFile pdfFile(pdf);
    QVERIFY(pdfFile.open(QIODevice::ReadOnly));
    QVERIFY(pdfFile.read(5) == "%PDF-");

    const QString csv = tmp.filePath("c.csv");
    QVERIFY2(chart.exportTo(csv, &error), qPrintable(error));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString(csvFile.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 9);
    QCOMPARE(lines[0], QString("run,name,key,step,value"));
    QVERIFY(lines.contains(QString("3,\"demo, \"\"quoted\"\"\",train/loss,2,1.5")));

    QVERIFY(!chart.exportTo(tmp.filePath("c.bmpx"), &error));
    QVERIFY(error.contains(".png"));
  }

  void pickerHidesAndShowsKeys() {
    ChartPanel panel;
    panel.addPoints(1, "train/loss", {1, 2}, {1, 2});
    panel.addPoints(1, "train/grad_norm", {1, 2}, {1, 2});
    QVERIFY(panel.isKeyVisible("train/loss"));
    QVERIFY(!panel.isKeyVisible("train/grad_norm"));  // "Other": off by default
    QVERIFY(!panel.chart("Other")->hasVisibleSeries());
    panel.setKeyVisible("train/grad_norm", true);
    QVERIFY(panel.chart("Other")->hasVisibleSeries());
    panel.setLogY(true);
    QCOMPARE(panel.chart("Losses")->plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
  }

  void stageChangesAreMarkedOnEveryChart() {
    ChartPanel panel;
    panel.addPoints(1, "train/loss", range(1, 11), range(1, 11));
    // Curriculum "trace:4,joint" then GRPO from step 8, arriving in two polls.
    panel.addPoints(1, "train/stage", range(1, 7), {0, 0, 0, 0, 1, 1});
    QCOMPARE(panel.chart("Losses")->stageMarkerCount(), 1);
    panel.addPoints(1, "train/stage", range(7, 11), {1, 2, 2, 2});
    QCOMPARE(panel.chart("Losses")->stageMarkerCount(), 2);
    // A chart made later gets them too; another run's markers are its own.
    panel.addPoints(1, "val/R@10", {5, 10}, {0.1, 0.2});
    QCOMPARE(panel.chart("Validation")->stageMarkerCount(), 2);
    panel.addPoints(2, "train/stage", range(1, 4), {0, 0, 0});
    QCOMPARE(panel.chart("Losses")->stageMarkerCount(), 2);  // one stage: no change
    const auto* line = qobject_cast<QCPItemStraightLine*>(panel.chart("Losses")->plot()->item(0));
    QVERIFY(line);
    QCOMPARE(line->point1->coords().x(), 4.5);  // between the last trace step and the first joint one
    panel.removeRun(1);
    QCOMPARE(panel.chart("Losses")->stageMarkerCount(), 0);
    QCOMPARE(panel.chart("Losses")->plot()->itemCount(), 0);
  }
};

QTEST_MAIN(TestRunsCharts)
#include "test_runs_charts.moc"
