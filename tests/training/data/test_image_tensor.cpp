#include <QtTest>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "model/input/ImageTensor.h"

using moon::imageToTensor;
using moon::tensorToImage;

namespace {

double relativeError(const torch::Tensor& a, const torch::Tensor& b) {
  return ((a - b).norm() / (b.norm() + 1e-12)).item<double>();
}

cv::Mat randomImage(int rows, int cols, int type = CV_8UC3) {
  cv::Mat m(rows, cols, type);
  cv::RNG rng(42);
  rng.fill(m, cv::RNG::UNIFORM, 0, 256);
  return m;
}

}  // namespace

class TestImageTensor : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void shapeTypeAndRange() {
    const torch::Tensor t = imageToTensor(randomImage(50, 70), 32);
    QCOMPARE(t.sizes().vec(), (std::vector<int64_t>{3, 32, 32}));
    QCOMPARE(t.scalar_type(), torch::kFloat32);
    QVERIFY(t.is_contiguous());
    QVERIFY(t.min().item<float>() >= -1.0f);
    QVERIFY(t.max().item<float>() <= 1.0f);
  }

  void mapsBgrPixelsToRgbInMinusOneToOne() {
    cv::Mat img(4, 4, CV_8UC3, cv::Scalar(255, 128, 0));  // B=255, G=128, R=0
    const torch::Tensor t = imageToTensor(img, 4);
    QCOMPARE(t[0].mean().item<float>(), -1.0f);                                // red
    QVERIFY(std::abs(t[1].mean().item<float>() - (128 / 127.5f - 1)) < 1e-6);  // green
    QCOMPARE(t[2].mean().item<float>(), 1.0f);                                 // blue
  }

  void shrinksWithAreaAveraging() {
    // A one-pixel checkerboard shrunk 3x: area averaging gives near-grey, while
    // sampling (INTER_LINEAR hits pixel centres at 3x) would give pure black/white.
    cv::Mat board(96, 96, CV_8UC3);
    for (int y = 0; y < 96; ++y)
      for (int x = 0; x < 96; ++x)
        board.at<cv::Vec3b>(y, x) = (x + y) % 2 ? cv::Vec3b(255, 255, 255) : cv::Vec3b(0, 0, 0);
    const torch::Tensor t = imageToTensor(board, 32);
    QVERIFY2(t.abs().max().item<float>() < 0.2f, qPrintable(QString::number(t.abs().max().item<float>())));
  }

  void roundTripsThroughImage() {
    const cv::Mat img = randomImage(24, 24);
    const torch::Tensor t = imageToTensor(img, 24);
    const cv::Mat back = tensorToImage(t);
    QCOMPARE(back.type(), CV_8UC3);
    QCOMPARE(cv::norm(back, img, cv::NORM_INF), 0.0);  // same size: exact
    QVERIFY(relativeError(imageToTensor(back, 24), t) < 1e-6);

    // From an arbitrary tensor: quantisation to 8 bits only.
    const torch::Tensor smooth = torch::rand({3, 16, 16}) * 2 - 1;
    const torch::Tensor again = imageToTensor(tensorToImage(smooth.unsqueeze(0)), 16);
    QVERIFY(relativeError(again, smooth) < 1e-2);
  }

  void acceptsGreyAndBgra() {
    const torch::Tensor grey = imageToTensor(randomImage(10, 10, CV_8UC1), 10);
    QVERIFY(torch::equal(grey[0], grey[1]) && torch::equal(grey[1], grey[2]));
    cv::Mat bgra(5, 5, CV_8UC4, cv::Scalar(0, 0, 255, 7));
    QCOMPARE(imageToTensor(bgra, 5)[0].mean().item<float>(), 1.0f);
  }

  void rejectsUnusableImages() {
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, imageToTensor(cv::Mat(), 8));
    QVERIFY_THROWS_EXCEPTION(moon::FormatError, imageToTensor(cv::Mat(4, 4, CV_16UC3, cv::Scalar(1)), 8));
  }

  void clampsOutOfRangeTensors() {
    const cv::Mat img = tensorToImage(torch::full({3, 2, 2}, 3.0));
    QCOMPARE(cv::norm(img, cv::Mat(2, 2, CV_8UC3, cv::Scalar(255, 255, 255)), cv::NORM_INF), 0.0);
  }
};

QTEST_APPLESS_MAIN(TestImageTensor)
#include "test_image_tensor.moc"
