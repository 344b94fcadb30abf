// Front views of garments, symmetric about x = 0.5.

#include "core/synth/Look.h"

namespace moon::synth {
namespace {

const cv::Scalar kInside(60, 60, 66);  // the shadowed inside of a neck or hood opening
const cv::Scalar kWhiteCord(236, 236, 236);

}  // namespace

void drawTshirt(Canvas& canvas, const Look& look) {
  const bool longSleeve = look.is("sleeve", "long");
  const bool vNeck = look.is("neckline", "v-neck");
  Poly left = {{0.5, vNeck ? 0.30 : 0.20}};
  if (vNeck)
    left.push_back({0.39, 0.13});
  else {
    const Poly neck = arc({0.5, 0.13}, 0.11, 0.07, 90, 180, 10);
    left.insert(left.end(), neck.begin() + 1, neck.end());
  }
  left.push_back({0.21, 0.17});
  if (longSleeve)
    left.insert(left.end(), {{0.09, 0.80}, {0.19, 0.82}, {0.27, 0.38}});
  else
    left.insert(left.end(), {{0.06, 0.37}, {0.16, 0.46}, {0.27, 0.37}});
  left.insert(left.end(), {{0.27, 0.91}, {0.5, 0.91}});
  canvas.fill(mirrored(left), look.body());

  // Sleeve seams and the neckline trim.
  canvas.stroke({{0.21, 0.17}, {0.27, 0.37}}, look.outline, 0.006);
  canvas.stroke({{0.79, 0.17}, {0.73, 0.37}}, look.outline, 0.006);
  if (vNeck)
    canvas.stroke({{0.39, 0.13}, {0.5, 0.30}, {0.61, 0.13}}, look.secondary, 0.022);
  else
    canvas.stroke(arc({0.5, 0.13}, 0.11, 0.07, 0, 180, 16), look.secondary, 0.022);

  if (look.is("pocket", "chest")) canvas.fill(rect(0.56, 0.31, 0.68, 0.43), look.body(0.82));
  drawLogo(canvas, look, {0.39, 0.40}, 0.065);
}

void drawDress(Canvas& canvas, const Look& look) {
  const std::string& sleeve = look.get("sleeve");
  const std::string& length = look.get("length");
  const double hemY = length == "mini" ? 0.62 : length == "midi" ? 0.78 : 0.94;
  const double hemW = length == "mini" ? 0.22 : length == "midi" ? 0.27 : 0.31;

  Poly left = join({Poly{{0.5, 0.17}}, arc({0.5, 0.10}, 0.09, 0.07, 90, 180, 8)});
  if (sleeve == "sleeveless") {
    left.insert(left.end(), {{0.37, 0.09}, {0.34, 0.27}});
  } else if (sleeve == "short") {
    left.insert(left.end(), {{0.33, 0.10}, {0.21, 0.24}, {0.28, 0.30}, {0.34, 0.27}});
  } else {
    left.insert(left.end(), {{0.33, 0.10}, {0.15, 0.60}, {0.23, 0.62}, {0.34, 0.28}});
  }
  left.insert(left.end(),
              {{0.38, 0.43}, {0.5 - hemW, hemY - 0.01}, {0.5 - hemW * 0.5, hemY + 0.015}, {0.5, hemY + 0.02}});
  canvas.fill(mirrored(left), look.body());
  canvas.stroke({{0.38, 0.43}, {0.62, 0.43}}, look.outline, 0.006);  // waist seam
  if (look.is("belt", "belted")) {
    canvas.fill(rect(0.37, 0.405, 0.63, 0.455), look.solid(look.secondary));
    Fill buckle = look.solid(look.metal);
    canvas.fill(rect(0.475, 0.395, 0.525, 0.465), buckle);
  }
  drawLogo(canvas, look, {0.5, 0.30}, 0.05);
}

void drawHoodie(Canvas& canvas, const Look& look) {
  const bool zip = look.is("closure", "zip");
  // Hood behind the neck, then the body with long sleeves.
  canvas.fill(arc({0.5, 0.17}, 0.16, 0.13, 0, 360, 32), look.body(0.9));
  Poly left = {{0.5, 0.24},  {0.40, 0.20}, {0.20, 0.21}, {0.07, 0.79},
               {0.17, 0.82}, {0.27, 0.40}, {0.26, 0.86}, {0.5, 0.86}};
  canvas.fill(mirrored(left), look.body());
  canvas.fill(arc({0.5, 0.19}, 0.085, 0.065, 0, 360, 24), look.solid(kInside));
  // Ribbed hem and cuffs.
  canvas.fill(rect(0.26, 0.86, 0.74, 0.92), look.body(0.8));
  canvas.fill({{0.07, 0.79}, {0.17, 0.82}, {0.165, 0.86}, {0.065, 0.835}}, look.body(0.8));
  canvas.fill({{0.93, 0.79}, {0.83, 0.82}, {0.835, 0.86}, {0.935, 0.835}}, look.body(0.8));
  canvas.stroke({{0.20, 0.21}, {0.27, 0.40}}, look.outline, 0.006);
  canvas.stroke({{0.80, 0.21}, {0.73, 0.40}}, look.outline, 0.006);
  // Drawstrings.
  canvas.stroke({{0.46, 0.25}, {0.45, 0.37}}, kWhiteCord, 0.01);
  canvas.stroke({{0.54, 0.25}, {0.55, 0.37}}, kWhiteCord, 0.01);

  if (look.is("pocket", "kangaroo"))
    canvas.fill({{0.35, 0.62}, {0.65, 0.62}, {0.70, 0.84}, {0.30, 0.84}}, look.body(0.85));
  if (zip) {
    canvas.stroke({{0.5, 0.25}, {0.5, 0.92}}, look.metal, 0.014);
    for (double y = 0.27; y < 0.91; y += 0.025) canvas.stroke({{0.492, y}, {0.508, y}}, scaled(look.metal, 0.6), 0.004);
    canvas.fill(rect(0.488, 0.25, 0.512, 0.30), look.solid(look.metal));
  }
  drawLogo(canvas, look, {zip ? 0.37 : 0.5, 0.46}, 0.06);
}

void drawTrousers(Canvas& canvas, const Look& look) {
  const bool wide = look.is("fit", "wide");
  const bool cropped = look.is("length", "cropped");
  const double hemY = cropped ? 0.74 : 0.94;
  // The leg narrows (slim) or widens (wide) linearly from hip to full-length hem.
  const double t = (hemY - 0.14) / 0.80;
  const double outer = wide ? 0.28 - 0.09 * t : 0.28 + 0.04 * t;
  const double inner = wide ? 0.50 - 0.03 * t : 0.50 - 0.05 * t;
  const Poly leftLeg = {{0.5, 0.14}, {0.28, 0.14}, {outer, hemY}, {inner, hemY}, {0.5, 0.40}};
  Poly rightLeg;
  for (const auto& p : leftLeg) rightLeg.emplace_back(1.0 - p.x, p.y);
  canvas.fill(leftLeg, look.body());
  canvas.fill(rightLeg, look.body());
  canvas.fill(rect(0.28, 0.08, 0.72, 0.145), look.body(0.85));
  for (double x : {0.34, 0.46, 0.54, 0.66}) canvas.fill(rect(x - 0.01, 0.075, x + 0.01, 0.16), look.body(0.75));
  canvas.stroke({{0.5, 0.145}, {0.5, 0.30}, {0.47, 0.33}}, look.outline, 0.006);  // fly
  canvas.stroke({{0.30, 0.15}, {0.37, 0.25}}, look.outline, 0.006);               // hip pockets
  canvas.stroke({{0.70, 0.15}, {0.63, 0.25}}, look.outline, 0.006);
  canvas.fill(rect(0.485, 0.095, 0.515, 0.13), look.solid(look.metal));

  if (look.is("pocket", "cargo")) {
    const double lx = wide ? 0.255 : 0.29, rx = 1.0 - lx - 0.11;
    for (double x : {lx, rx}) {
      canvas.fill(rect(x, 0.44, x + 0.11, 0.58), look.body(0.82));
      canvas.fill(rect(x - 0.005, 0.43, x + 0.115, 0.47), look.body(0.7));
    }
  }
  drawLogo(canvas, look, {0.40, 0.30}, 0.04);
}

}  // namespace moon::synth
