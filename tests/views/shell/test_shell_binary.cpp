// Runs the real moon-workbench binary: --screenshot offscreen, argument errors,
// and (when xvfb-run exists) a window on an X server.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "RequireTool.h"
#include "TestPaths.h"
#include "core/store/Workspace.h"

namespace {

const QString kBinary = QStringLiteral(MOON_BINARY_DIR "/app/moon-workbench");

struct Result {
  int exitCode = -1;
  QString out;
  QString err;
};

Result runWorkbench(const QStringList& args, const QString& home, const QString& program = kBinary,
                    QStringList programArgs = {}) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  // Settings and the default workspace go to the test's own folder, never the user's.
  env.insert(QStringLiteral("HOME"), home);
  env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + "/config");
  env.insert(QStringLiteral("XDG_DATA_HOME"), home + "/data");
  env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home);
  env.remove(QStringLiteral("QT_QPA_PLATFORM"));
  p.setProcessEnvironment(env);
  programArgs += args;
  p.start(program, programArgs);
  Result r;
  if (!p.waitForFinished(120000)) {
    p.kill();
    p.waitForFinished();
    r.err = QStringLiteral("timed out");
    return r;
  }
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
  r.err = QString::fromLocal8Bit(p.readAllStandardError());
  return r;
}

// Standard deviation of the grey levels: a blank (single-colour) image has ~0.
double greyStdDev(const QImage& image) {
  const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
  double sum = 0, sum2 = 0;
  const double n = double(grey.width()) * grey.height();
  for (int y = 0; y < grey.height(); ++y) {
    const uchar* line = grey.constScanLine(y);
    for (int x = 0; x < grey.width(); ++x) {
      sum += line[x];
      sum2 += double(line[x]) * line[x];
    }
  }
  const double mean = sum / n;
  return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

void makeWorkspace(const QString& root) {
  moon::Workspace ws = moon::Workspace::open(root.toStdString(), /*create=*/true);
  moon::RunRecord run;
  run.name = "first-run";
  run.preset = "micro";
  ws.createRun(run);
  QDir().mkpath(root + "/datasets/demo/images");
  QFile f(root + "/datasets/demo/products.jsonl");
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write("{\"id\":\"p1\"}\n{\"id\":\"p2\"}\n");
}

void checkScreenshot(const QString& png, const QSize& size) {
  QImage image(png);
  QVERIFY2(!image.isNull(), qPrintable(png + " is not a readable PNG"));
  QCOMPARE(image.size(), size);
  const double spread = greyStdDev(image);
  QVERIFY2(spread > 10.0, qPrintable(QStringLiteral("looks blank: grey std-dev %1").arg(spread)));
}

}  // namespace

class TestShellBinary : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { QVERIFY2(QFile::exists(kBinary), qPrintable(kBinary + " is not built")); }

  void screenshotOfTheOverviewIsNotBlank() {
    QTemporaryDir tmp;
    makeWorkspace(tmp.filePath("ws"));
    const QString png = tmp.filePath("shots/overview.png");
    const Result r = runWorkbench({"-platform", "offscreen", "--workspace", tmp.filePath("ws"), "--screenshot", png,
                                   "--view", "overview", "--size", "1100x700"},
                                  tmp.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    checkScreenshot(png, QSize(1100, 700));
  }

  void firstLaunchCreatesTheWorkspaceThenShootsIt() {
    QTemporaryDir tmp;
    const QString ws = tmp.filePath("brand/new/workspace");
    const QString png = tmp.filePath("first.png");
    const Result r = runWorkbench(
        {"-platform", "offscreen", "--workspace", ws, "--screenshot", png, "--demo-products", "24"}, tmp.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(ws + "/moon.db"));
    QFile products(ws + "/datasets/demo/products.jsonl");
    QVERIFY(products.open(QIODevice::ReadOnly));
    QCOMPARE(products.readAll().count('\n'), 24);
    checkScreenshot(png, QSize(1280, 800));
  }

  void aFolderArgumentIsTheWorkspace() {
    // How the desktop entry (Exec=moon-workbench %f) and "Open with" pass a folder.
    QTemporaryDir tmp;
    const QString ws = tmp.filePath("opened");
    const QString png = tmp.filePath("opened.png");
    Result r = runWorkbench({"-platform", "offscreen", ws, "--screenshot", png, "--demo-products", "24"}, tmp.path());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(ws + "/moon.db"));
    // Two workspaces at once is a usage error, and nothing is created for it.
    r = runWorkbench({"-platform", "offscreen", tmp.filePath("a"), "--workspace", tmp.filePath("b"), "--screenshot",
                      tmp.filePath("x.png")},
                     tmp.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("one workspace folder"), qPrintable(r.err));
    QVERIFY(!QDir(tmp.filePath("a")).exists() && !QDir(tmp.filePath("b")).exists());
  }

  void unknownViewExitsWithStatus2AndListsTheViews() {
    QTemporaryDir tmp;
    const Result r = runWorkbench({"-platform", "offscreen", "--workspace", tmp.filePath("ws"), "--screenshot",
                                   tmp.filePath("x.png"), "--view", "no-such-view"},
                                  tmp.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("no-such-view") && r.err.contains("overview"), qPrintable(r.err));
    QVERIFY(!QFile::exists(tmp.filePath("x.png")));
    QVERIFY(!QDir(tmp.filePath("ws")).exists());  // nothing created for a bad command line
  }

  void badArgumentsExitWithStatus2() {
    QTemporaryDir tmp;
    Result r =
        runWorkbench({"-platform", "offscreen", "--screenshot", tmp.filePath("x.png"), "--size", "huge"}, tmp.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--size"), qPrintable(r.err));
    r = runWorkbench({"-platform", "offscreen", "--screenshot", tmp.filePath("x.png"), "--demo-products", "3"},
                     tmp.path());
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("--demo-products"), qPrintable(r.err));
    QVERIFY(!QFile::exists(tmp.filePath("x.png")));
  }

  void windowOpensUnderXvfb() {
    const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    MOON_REQUIRE_TOOL(!xvfb.isEmpty(), "xvfb-run");
    QTemporaryDir tmp;
    makeWorkspace(tmp.filePath("ws"));
    const QString png = tmp.filePath("xvfb.png");
    const Result r = runWorkbench({"-platform", "xcb", "--workspace", tmp.filePath("ws"), "--screenshot", png, "--view",
                                   "overview", "--size", "1024x700"},
                                  tmp.path(), xvfb, {"-a", "-s", "-screen 0 1280x1024x24", kBinary});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    checkScreenshot(png, QSize(1024, 700));
  }
};

QTEST_GUILESS_MAIN(TestShellBinary)
#include "test_shell_binary.moc"
