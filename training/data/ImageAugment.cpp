#include "training/data/ImageAugment.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace moon {
namespace {

cv::Rect randomCrop(const cv::Size& image, SampleRng& rng, const AugmentParams& p) {
  const double area = double(image.area());
  const double logAspect = std::log(p.maxAspect);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * rng.uniform(p.minCropArea, 1.0);
    const double aspect = std::exp(rng.uniform(-logAspect, logAspect));
    const int w = int(std::lround(std::sqrt(target * aspect)));
    const int h = int(std::lround(std::sqrt(target / aspect)));
    if (w < 1 || h < 1 || w > image.width || h > image.height) continue;
    const int x = int(rng.below(uint64_t(image.width - w + 1)));
    const int y = int(rng.below(uint64_t(image.height - h + 1)));
    return {x, y, w, h};
  }
  return {0, 0, image.width, image.height};
}

}  // namespace

cv::Mat resizeImage(const cv::Mat& bgr, int size) {
  if (bgr.cols == size && bgr.rows == size) return bgr;
  const bool shrinking = bgr.cols * bgr.rows > size * size;
  cv::Mat out;
  cv::resize(bgr, out, cv::Size(size, size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
  return out;
}

cv::Mat augmentImage(const cv::Mat& bgr, int size, SampleRng& rng, const AugmentParams& p) {
  // Draw every random number up front, in a fixed order, so the same seed
  // always means the same augmentation.
  const cv::Rect crop = randomCrop(bgr.size(), rng, p);
  const bool flip = rng.chance(p.flipProbability);
  const double brightness = rng.uniform(1.0 - p.brightness, 1.0 + p.brightness);
  const double contrast = rng.uniform(1.0 - p.contrast, 1.0 + p.contrast);
  const double saturation = rng.uniform(1.0 - p.saturation, 1.0 + p.saturation);

  // The crop is a view into the caller's pixels: copy before changing them.
  cv::Mat img = crop.size() == cv::Size(size, size) ? bgr(crop).clone() : resizeImage(bgr(crop), size);
  if (flip) cv::flip(img, img, 1);
  img.convertTo(img, -1, brightness, 0.0);
  cv::Mat grey;
  cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
  const double meanGrey = cv::mean(grey)[0];
  img.convertTo(img, -1, contrast, meanGrey * (1.0 - contrast));
  cv::cvtColor(img, grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(grey, grey, cv::COLOR_GRAY2BGR);
  cv::addWeighted(img, saturation, grey, 1.0 - saturation, 0.0, img);
  return img;
}

}  // namespace moon
