#include "core/synth/Canvas.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace moon::synth {
namespace {

constexpr int kShift = 4;  // sub-pixel bits for OpenCV's drawing functions
constexpr double kPi = 3.14159265358979323846;

}  // namespace

Canvas::Canvas(int pixels)
    : pixels_(pixels),
      image_(pixels, pixels, CV_8UC3, cv::Scalar::all(255)),
      alpha_(pixels, pixels, CV_8UC1, cv::Scalar(0)),
      scratch_(pixels, pixels, CV_8UC1, cv::Scalar(0)) {}

std::vector<cv::Point> Canvas::toPixels(const Poly& shape) const {
  std::vector<cv::Point> out;
  out.reserve(shape.size());
  const double scale = pixels_ * double(1 << kShift);
  for (const auto& p : shape) out.emplace_back(int(std::lround(p.x * scale)), int(std::lround(p.y * scale)));
  return out;
}

void Canvas::fill(const Poly& shape, const Fill& how) {
  const std::vector<cv::Point> pts = toPixels(shape);
  // Work only inside the shape's bounding box: most parts are small.
  cv::Rect box = cv::boundingRect(pts);
  box = cv::Rect(box.x >> kShift, box.y >> kShift, (box.width >> kShift) + 2, (box.height >> kShift) + 2) &
        cv::Rect(0, 0, pixels_, pixels_);
  if (box.area() > 0) {
    std::vector<std::vector<cv::Point>> local = {pts};
    for (auto& p : local[0]) p -= cv::Point(box.x << kShift, box.y << kShift);
    cv::Mat mask = scratch_(box);
    mask.setTo(0);
    cv::fillPoly(mask, local, cv::Scalar(255), cv::LINE_8, kShift);
    cv::Mat target = image_(box);
    if (how.texture) {
      const cv::Mat texture = (*how.texture)(box);
      if (how.shade == 1.0) {
        texture.copyTo(target, mask);
      } else {
        cv::Mat shaded;
        texture.convertTo(shaded, CV_8UC3, how.shade);
        shaded.copyTo(target, mask);
      }
    } else {
      target.setTo(scaled(how.color, how.shade), mask);
    }
    alpha_(box).setTo(255, mask);
  }
  if (how.outlineWidth > 0) {
    const std::vector<std::vector<cv::Point>> closed = {pts};
    const int t = std::max(1, int(std::lround(how.outlineWidth * pixels_)));
    cv::polylines(image_, closed, true, how.outline, t, cv::LINE_AA, kShift);
    cv::polylines(alpha_, closed, true, cv::Scalar(255), t, cv::LINE_8, kShift);
  }
}

void Canvas::stroke(const Poly& line, const cv::Scalar& color, double width, bool closed) {
  const std::vector<std::vector<cv::Point>> pts = {toPixels(line)};
  const int t = std::max(1, int(std::lround(width * pixels_)));
  cv::polylines(image_, pts, closed, color, t, cv::LINE_AA, kShift);
  cv::polylines(alpha_, pts, closed, cv::Scalar(255), t, cv::LINE_8, kShift);
}

void Canvas::disc(cv::Point2d center, double radius, const cv::Scalar& color) {
  const double scale = pixels_ * double(1 << kShift);
  const cv::Point c(int(std::lround(center.x * scale)), int(std::lround(center.y * scale)));
  const int r = std::max(1, int(std::lround(radius * scale)));
  cv::circle(image_, c, r, color, cv::FILLED, cv::LINE_AA, kShift);
  cv::circle(alpha_, c, r, cv::Scalar(255), cv::FILLED, cv::LINE_8, kShift);
}

void Canvas::text(const std::string& s, cv::Point2d center, double height, const cv::Scalar& color) {
  const int font = cv::FONT_HERSHEY_DUPLEX;
  int baseline = 0;
  const cv::Size unit = cv::getTextSize(s, font, 1.0, 1, &baseline);
  const double scale = height * pixels_ / std::max(1, unit.height);
  const int thickness = std::max(1, int(std::lround(scale * 1.6)));
  const cv::Size size = cv::getTextSize(s, font, scale, thickness, &baseline);
  const cv::Point origin(int(std::lround(center.x * pixels_ - size.width / 2.0)),
                         int(std::lround(center.y * pixels_ + size.height / 2.0)));
  cv::putText(image_, s, origin, font, scale, color, thickness, cv::LINE_AA);
}

void Canvas::shade() {
  for (int y = 0; y < pixels_; ++y) {
    const uchar* a = alpha_.ptr<uchar>(y);
    cv::Vec3b* px = image_.ptr<cv::Vec3b>(y);
    for (int x = 0; x < pixels_; ++x) {
      if (!a[x]) continue;
      const double u = double(x) / pixels_, v = double(y) / pixels_;
      const double f = 1.08 - 0.16 * (0.35 * u + 0.65 * v);
      for (int c = 0; c < 3; ++c) px[x][c] = cv::saturate_cast<uchar>(px[x][c] * f);
    }
  }
}

Poly arc(cv::Point2d center, double rx, double ry, double fromDeg, double toDeg, int steps) {
  Poly out;
  out.reserve(size_t(steps) + 1);
  for (int i = 0; i <= steps; ++i) {
    const double t = (fromDeg + (toDeg - fromDeg) * i / steps) * kPi / 180.0;
    out.emplace_back(center.x + rx * std::cos(t), center.y + ry * std::sin(t));
  }
  return out;
}

Poly rect(double x0, double y0, double x1, double y1) { return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}; }

Poly roundRect(double x0, double y0, double x1, double y1, double r) {
  r = std::min({r, (x1 - x0) / 2, (y1 - y0) / 2});
  return join({arc({x1 - r, y0 + r}, r, r, -90, 0, 6), arc({x1 - r, y1 - r}, r, r, 0, 90, 6),
               arc({x0 + r, y1 - r}, r, r, 90, 180, 6), arc({x0 + r, y0 + r}, r, r, 180, 270, 6)});
}

Poly mirrored(const Poly& leftHalf) {
  Poly out = leftHalf;
  for (auto it = leftHalf.rbegin(); it != leftHalf.rend(); ++it) out.emplace_back(1.0 - it->x, it->y);
  return out;
}

Poly join(std::initializer_list<Poly> parts) {
  Poly out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Poly star(cv::Point2d center, double r) {
  Poly out;
  for (int i = 0; i < 10; ++i) {
    const double radius = i % 2 == 0 ? r : r * 0.45;
    const double t = (-90.0 + 36.0 * i) * kPi / 180.0;
    out.emplace_back(center.x + radius * std::cos(t), center.y + radius * std::sin(t));
  }
  return out;
}

cv::Scalar scaled(const cv::Scalar& c, double factor) {
  return cv::Scalar(std::min(255.0, c[0] * factor), std::min(255.0, c[1] * factor), std::min(255.0, c[2] * factor));
}

cv::Scalar mixed(const cv::Scalar& a, const cv::Scalar& b, double t) { return a * (1.0 - t) + b * t; }

}  // namespace moon::synth
