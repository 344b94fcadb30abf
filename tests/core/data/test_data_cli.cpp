// `moon data synth|check|sheet` end to end: exit codes and what the user reads.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include "DataTestFiles.h"
#include "TestPaths.h"

namespace fs = std::filesystem;

namespace {

struct Run {
  int code;
  QString out;
  QString err;
};

Run runMoon(const QStringList& args) {
  QProcess p;
  p.start(MOON_CLI_PATH, args);
  if (!p.waitForFinished(120000)) return {-1, "", "timeout"};
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
          QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestDataCli : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QString data_;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QVERIFY2(fs::exists(MOON_CLI_PATH), "build the moon target first");
    data_ = tmp_.filePath("data");
    const Run r = runMoon({"data", "synth", "--out", data_, "--products", "24", "--image-size", "48", "--seed", "9"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("24 products"), qPrintable(r.out));
    QVERIFY2(r.err.contains("rendering products"), qPrintable(r.err));  // progress
  }

  void checkGoodDataset() {
    const Run r = runMoon({"data", "check", data_});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("24 usable products"), qPrintable(r.out));
    QVERIFY2(r.out.contains("OK: no problems found"), qPrintable(r.out));
  }

  void checkReportsBadRecordsButPasses() {
    const QString copy = tmp_.filePath("damaged");
    fs::copy(data_.toStdString(), copy.toStdString(), fs::copy_options::recursive);
    const fs::path image = fs::path(copy.toStdString()) / "images" / "p00002.jpg";
    const std::string bytes = moon::test::readBytes(image);
    moon::test::writeBytes(image, bytes.substr(0, bytes.size() / 2));
    const Run r = runMoon({"data", "check", copy});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("unreadable image: 1"), qPrintable(r.out));
    QVERIFY2(r.out.contains("products.jsonl:2: 'image' path 'images/p00002.jpg': truncated JPEG"), qPrintable(r.out));
    const Run strict = runMoon({"data", "check", copy, "--strict"});
    QCOMPARE(strict.code, 1);
    QVERIFY2(strict.err.contains("bad records (--strict)"), qPrintable(strict.err));
  }

  void checkFailsOnUnusableDataset() {
    const QString broken = tmp_.filePath("broken");
    fs::copy(data_.toStdString(), broken.toStdString(), fs::copy_options::recursive);
    moon::test::writeBytes(fs::path(broken.toStdString()) / "products.jsonl", "{\"id\": 1}\nnot json\n");
    const Run r = runMoon({"data", "check", broken});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("no usable products"), qPrintable(r.err));
    QVERIFY2(r.err.contains("products.jsonl:2: malformed JSON"), qPrintable(r.err));
  }

  void sheet() {
    const QString png = tmp_.filePath("sheet.png");
    const Run r = runMoon({"data", "sheet", data_, "--out", png, "--rows", "2", "--split", "train"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(fs::file_size(png.toStdString()) > 1000);
  }

  void synthRefusesNonEmptyFolder() {
    const Run r = runMoon({"data", "synth", "--out", data_, "--products", "24"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("not empty"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestDataCli)
#include "test_data_cli.moc"
