// Side views of shoes, toe to the right.

#include "core/synth/Look.h"

namespace moon::synth {
namespace {

cv::Scalar soleColor(const std::string& name) {
  if (name == "black") return cv::Scalar(40, 38, 36);
  if (name == "gum") return cv::Scalar(70, 134, 190);
  return cv::Scalar(240, 242, 242);
}

}  // namespace

void drawSneaker(Canvas& canvas, const Look& look) {
  const Poly upper =
      join({Poly{{0.12, 0.63}, {0.11, 0.42}, {0.16, 0.36}, {0.30, 0.42}, {0.43, 0.29}, {0.51, 0.32}},
            Poly{{0.62, 0.42}, {0.80, 0.50}}, arc({0.84, 0.60}, 0.07, 0.07, -70, 60, 10), Poly{{0.12, 0.66}}});
  canvas.fill(upper, look.body());
  // Toe cap and heel counter seams.
  canvas.stroke(arc({0.82, 0.62}, 0.10, 0.10, -80, 10, 10), look.outline, 0.006);
  canvas.stroke({{0.20, 0.39}, {0.22, 0.63}}, look.outline, 0.006);

  if (look.is("stripe", "side")) canvas.stroke({{0.30, 0.60}, {0.44, 0.52}, {0.60, 0.45}}, look.secondary, 0.04);

  const cv::Scalar lace = look.is("laces", "black") ? cv::Scalar(34, 34, 34) : cv::Scalar(246, 246, 246);
  for (int i = 0; i < 4; ++i) {
    const double x = 0.47 + 0.06 * i, y = 0.35 + 0.045 * i;
    canvas.stroke({{x - 0.03, y - 0.02}, {x + 0.035, y + 0.035}}, lace, 0.016);
    canvas.stroke({{x - 0.03, y + 0.03}, {x + 0.035, y - 0.015}}, lace, 0.016);
  }

  const cv::Scalar sole = soleColor(look.get("sole"));
  Fill soleFill = look.solid(sole);
  soleFill.outline = mixed(sole, cv::Scalar(0, 0, 0), 0.35);
  canvas.fill(join({Poly{{0.09, 0.64}, {0.88, 0.64}}, arc({0.88, 0.68}, 0.05, 0.04, -90, 90, 8),
                    Poly{{0.10, 0.72}, {0.08, 0.68}}}),
              soleFill);
  canvas.stroke({{0.10, 0.685}, {0.88, 0.685}}, mixed(sole, cv::Scalar(0, 0, 0), 0.25), 0.005);
  drawLogo(canvas, look, {0.25, 0.52}, 0.045);
}

void drawBoot(Canvas& canvas, const Look& look) {
  const std::string& shaft = look.get("shaft");
  const double top = shaft == "knee" ? 0.06 : shaft == "mid" ? 0.24 : 0.42;
  const bool block = look.is("heel", "block");
  const double soleTop = 0.78;
  const Poly upper = join({Poly{{0.25, soleTop}, {0.26, top}, {0.52, top}, {0.53, 0.60}, {0.70, 0.66}},
                           arc({0.84, 0.73}, 0.06, 0.05, -80, 80, 10), Poly{{0.25, soleTop + 0.005}}});
  canvas.fill(upper, look.body());
  canvas.fill(rect(0.255, top, 0.515, top + 0.03), look.body(0.8));  // top band
  canvas.stroke({{0.26, top + 0.06}, {0.255, soleTop}}, look.outline, 0.006);

  if (look.is("lacing", "laced")) {
    for (double y = top + 0.06; y < 0.60; y += 0.05) {
      canvas.disc({0.49, y}, 0.008, look.metal);
      canvas.stroke({{0.44, y}, {0.515, y + 0.03}}, cv::Scalar(40, 52, 60), 0.01);
    }
  } else {
    // Elastic side panel of a slip-on boot.
    canvas.fill(roundRect(0.33, std::max(top + 0.06, 0.44), 0.45, 0.62, 0.05), look.solid(scaled(look.primary, 0.55)));
    canvas.fill(rect(0.23, top - 0.03, 0.27, top + 0.07), look.solid(scaled(look.primary, 0.6)));  // pull tab
  }

  const cv::Scalar sole(38, 36, 34);
  canvas.fill(join({Poly{{0.23, soleTop}, {0.84, soleTop}}, arc({0.86, soleTop + 0.025}, 0.03, 0.025, -90, 90, 6),
                    Poly{{0.23, soleTop + 0.05}}}),
              look.solid(sole));
  if (block) canvas.fill(rect(0.24, soleTop + 0.04, 0.37, soleTop + 0.13), look.solid(scaled(sole, 1.3)));
  drawLogo(canvas, look, {0.38, 0.68}, 0.04);
}

}  // namespace moon::synth
