// The contact sheet: a PNG with one row per triplet, of the documented size,
// with actual content; bad requests are errors.

#include <QTemporaryDir>
#include <QtTest>

#include "core/base/Error.h"
#include "core/data/ContactSheet.h"
#include "core/image/ImageIo.h"

#include <opencv2/imgproc.hpp>
#include "core/synth/CatalogueGenerator.h"

using namespace moon;
namespace fs = std::filesystem;

class TestContactSheet : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::string data_;

  std::string path(const char* name) const { return (fs::path(tmp_.path().toStdString()) / name).string(); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    data_ = path("data");
    SynthOptions o;
    o.products = 40;
    o.imageSize = 64;
    o.seed = 3;
    generateCatalogue(data_, o);
  }

  void writesPngOfExpectedSize() {
    ContactSheetOptions o;
    o.rows = 3;
    o.split = "train";
    o.thumbnail = 120;
    const std::string out = path("sheet.png");
    QCOMPARE(writeContactSheet(data_, out, o), 3);
    const cv::Mat sheet = readImageChecked(out);
    QCOMPARE(sheet.size(), contactSheetSize(3, o));
    QVERIFY(sheet.cols > 3 * o.thumbnail);
    // Images and captions, not a blank page: a good share of pixels is not paper-white.
    cv::Mat gray, ink;
    cv::cvtColor(sheet, gray, cv::COLOR_BGR2GRAY);
    cv::threshold(gray, ink, 235, 255, cv::THRESH_BINARY_INV);
    QVERIFY(size_t(cv::countNonZero(ink)) > sheet.total() / 10);
    // More rows, taller sheet; same width.
    QVERIFY(contactSheetSize(4, o).height > contactSheetSize(3, o).height);
    QCOMPARE(contactSheetSize(4, o).width, contactSheetSize(3, o).width);
  }

  void rowsAreCappedBySplitSize() {
    ContactSheetOptions o;
    o.rows = 1000;
    o.split = "test";
    const int rows = writeContactSheet(data_, path("all.png"), o);
    QVERIFY(rows > 0 && rows < 1000);
    QCOMPARE(readImageChecked(path("all.png")).size(), contactSheetSize(rows, o));
  }

  void badRequests() {
    ContactSheetOptions o;
    o.split = "nonexistent";
    QVERIFY_EXCEPTION_THROWN(writeContactSheet(data_, path("x.png"), o), FormatError);
    o.split = "test";
    o.rows = 0;
    QVERIFY_EXCEPTION_THROWN(writeContactSheet(data_, path("x.png"), o), ConfigError);
    QVERIFY_EXCEPTION_THROWN(writeContactSheet(path("nothing-here"), path("x.png"), {}), IoError);
    QVERIFY(!fs::exists(path("x.png")));
  }
};

QTEST_APPLESS_MAIN(TestContactSheet)
#include "test_data_contact_sheet.moc"
