#include "core/synth/Look.h"

#include <cmath>
#include <map>

#include <opencv2/imgproc.hpp>

namespace moon::synth {
namespace {

cv::Scalar rgb(int r, int g, int b) { return cv::Scalar(b, g, r); }

double luminance(const cv::Scalar& bgr) { return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]; }

void drawPattern(cv::Mat& paint, const std::string& pattern, const cv::Scalar& fg, int pixels) {
  const double period = 0.075 * pixels;
  if (pattern == "striped") {
    for (double y = 0; y < pixels; y += period)
      cv::rectangle(paint, cv::Point(0, int(std::lround(y))), cv::Point(pixels, int(std::lround(y + period * 0.45))),
                    fg, cv::FILLED);
  } else if (pattern == "dotted") {
    const double step = 0.085 * pixels;
    const int r = std::max(1, int(std::lround(0.022 * pixels)));
    int row = 0;
    for (double y = step / 2; y < pixels + step; y += step, ++row)
      for (double x = (row % 2) * step / 2; x < pixels + step; x += step)
        cv::circle(paint, cv::Point(int(std::lround(x)), int(std::lround(y))), r, fg, cv::FILLED, cv::LINE_AA);
  } else if (pattern == "checked") {
    // Gingham: bands in both directions, half strength where only one crosses.
    const double step = 0.1 * pixels;
    cv::Mat bands(paint.size(), CV_8UC1, cv::Scalar(0));
    for (double v = 0; v < pixels; v += step) {
      const int a = int(std::lround(v)), b = int(std::lround(v + step / 2));
      bands(cv::Range::all(), cv::Range(std::min(a, pixels), std::min(b, pixels))) += 1;
      bands(cv::Range(std::min(a, pixels), std::min(b, pixels)), cv::Range::all()) += 1;
    }
    for (int y = 0; y < pixels; ++y)
      for (int x = 0; x < pixels; ++x) {
        const int n = bands.at<uchar>(y, x);
        if (n == 0) continue;
        cv::Vec3b& px = paint.at<cv::Vec3b>(y, x);
        const double t = n >= 2 ? 1.0 : 0.5;
        for (int c = 0; c < 3; ++c) px[c] = cv::saturate_cast<uchar>(px[c] * (1 - t) + fg[c] * t);
      }
  }
}

}  // namespace

cv::Scalar colorByName(const std::string& name) {
  static const std::map<std::string, cv::Scalar> kColors = {
      {"red", rgb(200, 38, 44)},   {"orange", rgb(240, 128, 30)}, {"yellow", rgb(242, 202, 40)},
      {"green", rgb(46, 140, 64)}, {"teal", rgb(24, 138, 140)},   {"blue", rgb(40, 104, 206)},
      {"navy", rgb(28, 40, 92)},   {"purple", rgb(118, 58, 160)}, {"pink", rgb(242, 146, 186)},
      {"brown", rgb(118, 74, 40)}, {"beige", rgb(222, 202, 164)}, {"grey", rgb(136, 138, 142)},
      {"black", rgb(34, 34, 38)},  {"white", rgb(244, 244, 240)}};
  auto it = kColors.find(name);
  return it == kColors.end() ? rgb(136, 138, 142) : it->second;
}

Look::Look(const Attributes& attrs, int pixels) : attributes(attrs) {
  primary = colorByName(get("color"));
  const bool light = luminance(primary) > 150;
  secondary = light ? rgb(52, 56, 72) : rgb(246, 246, 242);
  outline = light ? scaled(primary, 0.62) : mixed(primary, rgb(0, 0, 0), 0.45);
  const std::string& c = get("color");
  accent = (c == "yellow" || c == "orange" || c == "beige" || c == "white" || c == "pink") ? rgb(26, 40, 96)
                                                                                           : rgb(244, 194, 44);
  metal = rgb(196, 168, 90);
  paint = cv::Mat(pixels, pixels, CV_8UC3, primary);
  drawPattern(paint, get("pattern"), secondary, pixels);
}

const std::string& Look::get(const std::string& key) const {
  static const std::string kNone;
  auto it = attributes.find(key);
  return it == attributes.end() ? kNone : it->second;
}

Fill Look::body(double shade) const {
  Fill f;
  f.texture = &paint;
  f.outline = outline;
  f.shade = shade;
  return f;
}

Fill Look::solid(const cv::Scalar& color) const {
  Fill f;
  f.color = color;
  f.outline = mixed(color, cv::Scalar(0, 0, 0), 0.4);
  return f;
}

void drawLogo(Canvas& canvas, const Look& look, cv::Point2d center, double radius) {
  const std::string& kind = look.get("logo");
  const cv::Scalar edge = mixed(look.accent, cv::Scalar(0, 0, 0), 0.5);
  if (kind == "star") {
    Fill f = look.solid(look.accent);
    f.outline = edge;
    f.outlineWidth = 0.006;
    canvas.fill(star(center, radius * 1.15), f);
  } else if (kind == "circle") {
    canvas.disc(center, radius, edge);
    canvas.disc(center, radius * 0.86, look.accent);
    canvas.disc(center, radius * 0.5, look.primary);
    canvas.disc(center, radius * 0.22, look.accent);
  } else if (kind == "text") {
    Fill f = look.solid(look.accent);
    f.outlineWidth = 0;
    canvas.fill(roundRect(center.x - radius * 1.3, center.y - radius * 0.75, center.x + radius * 1.3,
                          center.y + radius * 0.75, radius * 0.25),
                f);
    canvas.text("ZX", center, radius * 0.9, look.primary);
  }
}

}  // namespace moon::synth
