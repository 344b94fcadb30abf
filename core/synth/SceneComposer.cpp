#include "core/synth/SceneComposer.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/synth/Rng.h"

namespace moon::synth {
namespace {

constexpr double kPi = 3.14159265358979323846;

// A muted colour: a grey level with a little tint, like walls and tables.
cv::Scalar mutedColor(Rng& rng) {
  const double level = rng.uniform(70, 215);
  return cv::Scalar(level + rng.uniform(-30, 30), level + rng.uniform(-30, 30), level + rng.uniform(-30, 30));
}

// Backgrounds of query photos: a wall, a gradient, a table edge, wood grain.
cv::Mat queryBackground(int w, Rng& rng) {
  cv::Mat bg(w, w, CV_8UC3);
  const cv::Scalar a = mutedColor(rng), b = mutedColor(rng);
  const int kind = int(rng.below(4));
  const double split = rng.uniform(0.55, 0.8), period = rng.uniform(0.08, 0.2) * w;
  for (int y = 0; y < w; ++y) {
    cv::Vec3b* row = bg.ptr<cv::Vec3b>(y);
    const double wobble = 4.0 * std::sin(y * 0.15);
    for (int x = 0; x < w; ++x) {
      double t = 0;
      if (kind == 1) t = double(y) / w;
      if (kind == 2) t = y > split * w ? 1.0 : 0.0;
      if (kind == 3) t = 0.5 + 0.2 * std::sin(2 * kPi * (x + wobble) / period);
      for (int c = 0; c < 3; ++c) row[x][c] = cv::saturate_cast<uchar>(a[c] * (1 - t) + b[c] * t);
    }
  }
  return bg;
}

// out = background·(1 − strength·shadow)·(1 − α) + product, with the product
// premultiplied by its alpha (so it could be resampled without a halo).
cv::Mat composite(const cv::Mat& background, const cv::Mat& premultiplied, const cv::Mat& alpha, const cv::Mat& shadow,
                  double shadowStrength) {
  cv::Mat out(background.size(), CV_8UC3);
  for (int y = 0; y < out.rows; ++y) {
    const cv::Vec3b* bg = background.ptr<cv::Vec3b>(y);
    const cv::Vec3b* fg = premultiplied.ptr<cv::Vec3b>(y);
    const uchar* a = alpha.ptr<uchar>(y);
    const uchar* s = shadow.ptr<uchar>(y);
    cv::Vec3b* dst = out.ptr<cv::Vec3b>(y);
    for (int x = 0; x < out.cols; ++x) {
      const float keep = (1.0f - float(shadowStrength) * s[x] / 255.0f) * (1.0f - a[x] / 255.0f);
      for (int c = 0; c < 3; ++c) dst[x][c] = cv::saturate_cast<uchar>(bg[x][c] * keep + fg[x][c]);
    }
  }
  return out;
}

// Warps the drawing (at drawing resolution, so edges stay smooth) and scales
// it down to the output size.
void warpDown(const ProductDrawing& d, const cv::Mat& m, bool perspective, int size, cv::Mat& color, cv::Mat& alpha) {
  const cv::Size full = d.color.size();
  cv::Mat c, a;
  if (perspective) {
    cv::warpPerspective(d.color, c, m, full, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::warpPerspective(d.alpha, a, m, full, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  } else {
    cv::warpAffine(d.color, c, m, full, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
    cv::warpAffine(d.alpha, a, m, full, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  }
  cv::resize(c, color, cv::Size(size, size), 0, 0, cv::INTER_AREA);
  cv::resize(a, alpha, cv::Size(size, size), 0, 0, cv::INTER_AREA);
}

}  // namespace

int drawingPixels(int size) { return size * std::max(2, (192 + size - 1) / size); }

cv::Mat galleryShot(const ProductDrawing& drawing, int size, uint64_t poseSeed) {
  Rng rng(poseSeed);
  const int w = drawing.color.cols;
  const double angle = rng.uniform(-4, 4), scale = rng.uniform(0.86, 0.95);
  cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(w / 2.0f, w / 2.0f), angle, scale);
  m.at<double>(0, 2) += rng.uniform(-0.03, 0.03) * w;
  m.at<double>(1, 2) += rng.uniform(-0.03, 0.03) * w;
  cv::Mat color, alpha;
  warpDown(drawing, m, false, size, color, alpha);

  cv::Mat bg(size, size, CV_8UC3);
  for (int y = 0; y < size; ++y) bg.row(y).setTo(cv::Scalar::all(247 - 10.0 * y / size));
  cv::Mat shadow(size, size, CV_8UC1, cv::Scalar(0));
  const cv::Rect box = cv::boundingRect(alpha);
  if (box.area() > 0) {
    cv::ellipse(shadow, cv::Point(box.x + box.width / 2, std::min(size - 1, box.y + box.height)),
                cv::Size(box.width / 2, std::max(1, size / 40)), 0, 0, 360, cv::Scalar(255), cv::FILLED);
    cv::GaussianBlur(shadow, shadow, cv::Size(0, 0), size * 0.02);
  }
  return composite(bg, color, alpha, shadow, 0.25);
}

QueryShot queryShot(const ProductDrawing& drawing, int size, uint64_t lookSeed) {
  Rng rng(lookSeed);
  const int w = drawing.color.cols;
  cv::Mat bg = queryBackground(size, rng);

  // Viewpoint: rotate, scale and shift, then tilt by moving the corners.
  const double angle = rng.uniform(-25, 25), scale = rng.uniform(0.62, 0.92);
  cv::Mat affine = cv::getRotationMatrix2D(cv::Point2f(w / 2.0f, w / 2.0f), angle, scale);
  affine.at<double>(0, 2) += rng.uniform(-0.08, 0.08) * w;
  affine.at<double>(1, 2) += rng.uniform(-0.08, 0.08) * w;
  std::vector<cv::Point2f> from = {{0, 0}, {float(w), 0}, {float(w), float(w)}, {0, float(w)}}, to;
  cv::transform(from, to, affine);
  for (auto& p : to) {
    p.x += float(rng.uniform(-0.06, 0.06) * w);
    p.y += float(rng.uniform(-0.06, 0.06) * w);
  }
  cv::Mat color, alpha;
  warpDown(drawing, cv::getPerspectiveTransform(from, to), true, size, color, alpha);

  // A cast shadow: the silhouette, shifted and blurred.
  cv::Mat shadow;
  const cv::Mat shift =
      (cv::Mat_<double>(2, 3) << 1, 0, rng.uniform(-0.04, 0.04) * size, 0, 1, rng.uniform(0.0, 0.05) * size);
  cv::warpAffine(alpha, shadow, shift, alpha.size());
  cv::GaussianBlur(shadow, shadow, cv::Size(0, 0), size * 0.02);
  cv::Mat shot = composite(bg, color, alpha, shadow, rng.uniform(0.15, 0.4));

  // Lighting: exposure, colour cast and a directional ramp; then sensor noise.
  const double gain = rng.uniform(0.72, 1.22);
  const double cast[3] = {rng.uniform(0.88, 1.12), rng.uniform(0.92, 1.08), rng.uniform(0.88, 1.12)};
  const double ramp = rng.uniform(-0.35, 0.35), theta = rng.uniform(0, 2 * kPi);
  const double cx = std::cos(theta), cy = std::sin(theta);
  const double noise = rng.uniform(1.0, 5.0);
  for (int y = 0; y < size; ++y) {
    cv::Vec3b* row = shot.ptr<cv::Vec3b>(y);
    for (int x = 0; x < size; ++x) {
      const double light = gain * (1.0 + ramp * ((x - size / 2.0) * cx + (y - size / 2.0) * cy) / size);
      for (int c = 0; c < 3; ++c)
        row[x][c] = cv::saturate_cast<uchar>(row[x][c] * light * cast[c] + noise * rng.gaussian());
    }
  }
  if (rng.chance(0.35)) cv::GaussianBlur(shot, shot, cv::Size(3, 3), rng.uniform(0.5, 1.0));
  return {shot, rng.range(30, 85)};
}

}  // namespace moon::synth
