#pragma once

// Drawing surface for product silhouettes: shapes are given in unit
// coordinates ([0,1]², y down) and drawn at the canvas resolution, into a
// colour image and a coverage mask (the product's alpha for compositing).

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace moon::synth {

using Poly = std::vector<cv::Point2d>;

// How a closed shape is filled: with a pattern texture (same size as the
// canvas) or a flat colour, and outlined.
struct Fill {
  const cv::Mat* texture = nullptr;
  cv::Scalar color;
  cv::Scalar outline;
  double outlineWidth = 0.008;  // unit coordinates; 0 = no outline
  double shade = 1.0;           // multiplies the fill (a pocket a little darker than the body)
};

class Canvas {
 public:
  explicit Canvas(int pixels);

  int pixels() const { return pixels_; }
  cv::Mat& image() { return image_; }
  cv::Mat& alpha() { return alpha_; }

  void fill(const Poly& shape, const Fill& how);
  void stroke(const Poly& line, const cv::Scalar& color, double width, bool closed = false);
  void disc(cv::Point2d center, double radius, const cv::Scalar& color);
  // Text centred on `center`, about `height` tall.
  void text(const std::string& s, cv::Point2d center, double height, const cv::Scalar& color);

  // Light from the top left: a gentle brightness ramp over the product.
  void shade();

 private:
  std::vector<cv::Point> toPixels(const Poly& shape) const;

  int pixels_;
  cv::Mat image_;  // CV_8UC3
  cv::Mat alpha_;  // CV_8UC1
  cv::Mat scratch_;
};

// Shape helpers (unit coordinates, angles in degrees, 0° = +x, 90° = down).
Poly arc(cv::Point2d center, double rx, double ry, double fromDeg, double toDeg, int steps = 24);
Poly rect(double x0, double y0, double x1, double y1);
Poly roundRect(double x0, double y0, double x1, double y1, double r);
// A symmetric outline from its left half (listed from the top centre line
// down to the bottom centre line): left half, then the mirror image back up.
Poly mirrored(const Poly& leftHalf);
Poly join(std::initializer_list<Poly> parts);
Poly star(cv::Point2d center, double r);

cv::Scalar scaled(const cv::Scalar& c, double factor);
cv::Scalar mixed(const cv::Scalar& a, const cv::Scalar& b, double t);  // (1-t)·a + t·b

}  // namespace moon::synth
