// The real moon-workbench binary renders the Runs view (offscreen) with runs
// and curves read from a workspace: the PNG is not blank.
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "TestPaths.h"
#include "core/store/Workspace.h"

using namespace moon;

class TestRunsScreenshot : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void runsViewScreenshotIsNotBlank() {
    QTemporaryDir tmp;
    const QString root = tmp.filePath("ws");
    {
      Workspace ws = Workspace::open(root.toStdString(), true);
      for (int run = 0; run < 2; ++run) {
        RunRecord r;
        r.name = run == 0 ? "baseline" : "higher lr";
        r.preset = "micro";
        r.stepsTotal = 200;
        const int64_t id = ws.createRun(r);
        ws.store().markRunning(id, "cpu");
        std::vector<MetricPoint> points;
        for (int s = 1; s <= 200; ++s) {
          const double loss = (3.0 + run) * std::exp(-s / 60.0) + 0.2 * std::sin(s * 0.7) + 0.5;
          points.push_back({s, "train/loss", loss, 0});
          points.push_back({s, "train/lr", 1e-3 * std::min(1.0, s / 20.0), 0});
          points.push_back({s, "train/samples_per_s", 40 + 5 * std::sin(s * 0.1), 0});
          if (s % 50 == 0) points.push_back({s, "val/mm->mm/R@10", 0.2 + 0.0015 * s + 0.05 * run, 0});
        }
        ws.store().appendMetrics(id, points);
        ws.store().setProgress(id, 200, 200);
        ws.store().setStatus(id, RunStatus::Completed);
      }
    }
    const QString png = tmp.filePath("runs.png");
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", tmp.path());
    env.insert("XDG_CONFIG_HOME", tmp.filePath("config"));
    env.insert("XDG_DATA_HOME", tmp.filePath("data"));
    env.insert("XDG_RUNTIME_DIR", tmp.path());
    p.setProcessEnvironment(env);
    p.start(MOON_BINARY_DIR "/app/moon-workbench", {"-platform", "offscreen", "--workspace", root, "--view", "runs",
                                                    "--size", "1280x800", "--screenshot", png});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    QImage image(png);
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), QSize(1280, 800));
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    double sum = 0, sum2 = 0;
    const double n = double(grey.width()) * grey.height();
    for (int y = 0; y < grey.height(); ++y)
      for (int x = 0; x < grey.width(); ++x) {
        const double v = grey.constScanLine(y)[x];
        sum += v;
        sum2 += v * v;
      }
    const double sd = std::sqrt(std::max(0.0, sum2 / n - (sum / n) * (sum / n)));
    QVERIFY2(sd > 10, qPrintable(QString::number(sd)));
    // Curves are drawn: the charts' blue (first series colour) appears in many pixels.
    int blue = 0;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y)
      for (int x = rgb.width() / 3; x < rgb.width(); ++x) {
        const QColor c = rgb.pixelColor(x, y);
        blue += c.blue() > 200 && c.red() < 90 && c.green() > 90 && c.green() < 140;
      }
    QVERIFY2(blue > 200, qPrintable(QString::number(blue)));
  }
};

QTEST_GUILESS_MAIN(TestRunsScreenshot)
#include "test_runs_screenshot.moc"
