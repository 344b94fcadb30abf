// readImageChecked: every way an image file can be broken is an error that
// names the file; good files of every supported layout come out as BGR 8-bit.

#include <QTemporaryDir>
#include <QtTest>

#include <opencv2/imgcodecs.hpp>

#include "DataTestFiles.h"
#include "TestPaths.h"
#include "core/base/Error.h"
#include "core/image/ImageFormat.h"
#include "core/image/ImageIo.h"

using namespace moon;
namespace fs = std::filesystem;

class TestImageIo : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

  // Runs readImageChecked and returns the message of the expected exception type.
  template <class E>
  std::string failure(const fs::path& file) {
    try {
      readImageChecked(file.string());
    } catch (const E& e) {
      return e.what();
    } catch (const std::exception& e) {
      QTest::qFail(("wrong exception type: " + std::string(e.what())).c_str(), __FILE__, __LINE__);
      return "";
    }
    QTest::qFail(("no exception for " + file.string()).c_str(), __FILE__, __LINE__);
    return "";
  }

  void expectMessage(const std::string& message, const fs::path& file, const std::string& part) {
    QVERIFY2(message.rfind(file.string(), 0) == 0, message.c_str());
    QVERIFY2(message.find(part) != std::string::npos, message.c_str());
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(tmp_.isValid()); }

  void goodJpegAndPng() {
    for (const char* ext : {".jpg", ".png"}) {
      const fs::path file = path((std::string("good") + ext).c_str());
      test::writeImage(file, ext);
      const cv::Mat img = readImageChecked(file.string());
      QCOMPARE(img.type(), CV_8UC3);
      QCOMPARE(img.cols, 24);
      QCOMPARE(img.rows, 16);
    }
  }

  void grayscaleIsExpanded() {
    cv::Mat gray(10, 12, CV_8UC1, cv::Scalar(77));
    const fs::path file = path("gray.png");
    test::writeBytes(file, test::encoded(gray, ".png"));
    const cv::Mat img = readImageChecked(file.string());
    QCOMPARE(img.type(), CV_8UC3);
    QCOMPARE(img.at<cv::Vec3b>(3, 4), cv::Vec3b(77, 77, 77));
  }

  void alphaIsCompositedOverWhite() {
    cv::Mat rgba(8, 8, CV_8UC4, cv::Scalar(0, 0, 255, 255));
    rgba.at<cv::Vec4b>(0, 0) = cv::Vec4b(0, 0, 0, 0);    // transparent black
    rgba.at<cv::Vec4b>(0, 1) = cv::Vec4b(0, 0, 0, 128);  // half-transparent black
    const fs::path file = path("alpha.png");
    test::writeBytes(file, test::encoded(rgba, ".png"));
    const cv::Mat img = readImageChecked(file.string());
    QCOMPARE(img.type(), CV_8UC3);
    QCOMPARE(img.at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
    QVERIFY(std::abs(int(img.at<cv::Vec3b>(0, 1)[0]) - 127) <= 1);
    QCOMPARE(img.at<cv::Vec3b>(4, 4), cv::Vec3b(0, 0, 255));
  }

  void sixteenBitIsScaled() {
    cv::Mat deep(6, 6, CV_16UC3, cv::Scalar(65535, 0, 32896));
    const fs::path file = path("deep.png");
    test::writeBytes(file, test::encoded(deep, ".png"));
    const cv::Mat img = readImageChecked(file.string());
    QCOMPARE(img.type(), CV_8UC3);
    QCOMPARE(img.at<cv::Vec3b>(2, 2), cv::Vec3b(255, 0, 128));
  }

  void missingFile() { expectMessage(failure<IoError>(path("nope.jpg")), path("nope.jpg"), "not found"); }

  void directoryIsNotAnImage() {
    fs::create_directories(path("adir.jpg"));
    expectMessage(failure<IoError>(path("adir.jpg")), path("adir.jpg"), "not a regular file");
  }

  void zeroBytes() {
    test::writeBytes(path("empty.jpg"), "");
    expectMessage(failure<FormatError>(path("empty.jpg")), path("empty.jpg"), "0 bytes");
  }

  void unsupportedFormat() {
    test::writeBytes(path("text.jpg"), "this is not an image at all");
    expectMessage(failure<FormatError>(path("text.jpg")), path("text.jpg"), "unsupported image format");
  }

  void truncatedJpeg() {
    const std::string full = test::encoded(test::testPicture(64, 48), ".jpg");
    test::writeBytes(path("cut.jpg"), full.substr(0, full.size() * 6 / 10));
    expectMessage(failure<FormatError>(path("cut.jpg")), path("cut.jpg"), "truncated JPEG");
    // Cut just before the final EOI marker: OpenCV alone would decode this silently.
    test::writeBytes(path("cut2.jpg"), full.substr(0, full.size() - 2));
    expectMessage(failure<FormatError>(path("cut2.jpg")), path("cut2.jpg"), "truncated JPEG");
  }

  void jpegWithTrailerStillReads() {
    // Cameras and "motion photos" append data after EOI; that is not truncation.
    const std::string full = test::encoded(test::testPicture(), ".jpg") + std::string(100, '\x42');
    test::writeBytes(path("trailer.jpg"), full);
    QCOMPARE(readImageChecked(path("trailer.jpg").string()).cols, 24);
  }

  void corruptJpegHeader() {
    std::string bytes = test::encoded(test::testPicture(), ".jpg");
    // Keep SOI and the closing EOI, destroy everything between.
    for (size_t i = 2; i + 2 < bytes.size(); ++i) bytes[i] = char(0x11);
    test::writeBytes(path("corrupt.jpg"), bytes);
    expectMessage(failure<FormatError>(path("corrupt.jpg")), path("corrupt.jpg"), "JPEG");
  }

  void truncatedPng() {
    const std::string full = test::encoded(test::testPicture(64, 48), ".png");
    test::writeBytes(path("cut.png"), full.substr(0, full.size() / 2));
    expectMessage(failure<FormatError>(path("cut.png")), path("cut.png"), "truncated PNG");
    // Everything but the IEND chunk.
    test::writeBytes(path("noend.png"), full.substr(0, full.size() - 12));
    expectMessage(failure<FormatError>(path("noend.png")), path("noend.png"), "truncated PNG");
  }

  void corruptPngData() {
    std::string bytes = test::encoded(test::testPicture(64, 48), ".png");
    const size_t idat = bytes.find("IDAT");
    QVERIFY(idat != std::string::npos);
    for (size_t i = idat + 8; i < idat + 40; ++i) bytes[i] = char(~bytes[i]);
    test::writeBytes(path("corrupt.png"), bytes);
    expectMessage(failure<FormatError>(path("corrupt.png")), path("corrupt.png"), "corrupt PNG");
  }

  void formatDetection() {
    const std::string jpg = test::encoded(test::testPicture(), ".jpg");
    const std::string png = test::encoded(test::testPicture(), ".png");
    auto detect = [](const std::string& b) {
      return detectImageFormat(reinterpret_cast<const uint8_t*>(b.data()), b.size());
    };
    QCOMPARE(detect(jpg), ImageFormat::Jpeg);
    QCOMPARE(detect(png), ImageFormat::Png);
    QCOMPARE(detect("GIF89a......"), ImageFormat::Unknown);
  }

  // The header's declared size, for every format we read, matches what decodes.
  void declaredSizeMatchesTheDecodedImage() {
    const cv::Mat picture = test::testPicture(37, 21);
    for (const char* ext : {".jpg", ".png", ".bmp", ".webp"}) {
      const std::string bytes = test::encoded(picture, ext);
      const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
      const auto declared = declaredImageSize(detectImageFormat(data, bytes.size()), data, bytes.size());
      QVERIFY2(declared.has_value(), ext);
      QCOMPARE(declared->width, uint64_t(37));
      QCOMPARE(declared->height, uint64_t(21));
    }
  }

  // A few bytes declaring a gigapixel image are refused before decoding
  // (found by fuzzing: a 36-byte WebP that took seconds and gigabytes).
  void hugeDeclaredSizeIsRefusedBeforeDecoding() {
    std::string png = test::encoded(test::testPicture(), ".png");
    const uint32_t side = 100000;  // 10 gigapixels
    for (int k = 0; k < 2; ++k)
      for (int b = 0; b < 4; ++b) png[size_t(16 + 4 * k + b)] = char((side >> (24 - 8 * b)) & 0xFF);
    test::writeBytes(path("huge.png"), png);
    expectMessage(failure<FormatError>(path("huge.png")), path("huge.png"), "100000x100000 pixels");
    const std::string webp = test::readBytes(std::string(MOON_TESTS_DIR) +
                                             "/fuzz/regressions/image/webp-declares-16128x8428-slow-huge-decode");
    test::writeBytes(path("huge.webp"), webp);
    expectMessage(failure<FormatError>(path("huge.webp")), path("huge.webp"), "megapixels are refused");
  }

  void encodingIsDeterministic() {
    const cv::Mat img = test::testPicture(40, 30);
    QVERIFY(encodeImage(img, "a.jpg", 70) == encodeImage(img, "b.jpg", 70));
    QVERIFY(encodeImage(img, "a.jpg", 70) != encodeImage(img, "a.jpg", 90));
    QVERIFY(encodeImage(img, "a.png") == encodeImage(img, "b.PNG"));
    QVERIFY_EXCEPTION_THROWN(encodeImage(img, "a.gif"), FormatError);
  }

  void writeThenRead() {
    const fs::path file = path("written.png");
    writeImageFile(file.string(), test::testPicture());
    const cv::Mat back = readImageChecked(file.string());
    QCOMPARE(cv::norm(back, test::testPicture(), cv::NORM_INF), 0.0);
    QVERIFY_EXCEPTION_THROWN(writeImageFile((path("no-such-dir") / "x.png").string(), back), IoError);
  }
};

QTEST_APPLESS_MAIN(TestImageIo)
#include "test_data_image_io.moc"
