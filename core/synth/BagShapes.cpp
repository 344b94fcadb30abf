// Front views of bags.

#include "core/synth/Look.h"

namespace moon::synth {

void drawHandbag(Canvas& canvas, const Look& look) {
  const cv::Scalar leather = scaled(look.primary, 0.62);
  if (look.is("strap", "shoulder")) canvas.stroke(arc({0.5, 0.44}, 0.31, 0.40, 180, 360, 40), leather, 0.016);
  if (look.is("handle", "double")) {
    canvas.stroke(arc({0.42, 0.42}, 0.10, 0.21, 180, 360, 24), leather, 0.03);
    canvas.stroke(arc({0.58, 0.42}, 0.10, 0.21, 180, 360, 24), scaled(look.primary, 0.5), 0.03);
  } else {
    canvas.stroke(arc({0.5, 0.42}, 0.17, 0.22, 180, 360, 32), leather, 0.036);
  }
  const Poly body = join({Poly{{0.24, 0.40}, {0.76, 0.40}}, arc({0.78, 0.82}, 0.05, 0.05, -60, 90, 8),
                          arc({0.22, 0.82}, 0.05, 0.05, 90, 240, 8)});
  canvas.fill(body, look.body());
  // Side gussets.
  canvas.stroke({{0.28, 0.41}, {0.22, 0.86}}, look.outline, 0.005);
  canvas.stroke({{0.72, 0.41}, {0.78, 0.86}}, look.outline, 0.005);

  if (look.is("closure", "flap")) {
    const Poly flap = join({Poly{{0.24, 0.40}, {0.76, 0.40}, {0.78, 0.56}}, arc({0.5, 0.56}, 0.28, 0.10, 0, 180, 20)});
    canvas.fill(flap, look.body(0.86));
    canvas.disc({0.5, 0.635}, 0.03, look.metal);
    canvas.disc({0.5, 0.635}, 0.015, scaled(look.metal, 0.7));
    drawLogo(canvas, look, {0.5, 0.76}, 0.055);
  } else {
    canvas.stroke({{0.27, 0.46}, {0.73, 0.46}}, scaled(look.primary, 0.45), 0.012);
    canvas.fill(rect(0.64, 0.45, 0.67, 0.53), look.solid(look.metal));
    drawLogo(canvas, look, {0.5, 0.65}, 0.06);
  }
}

void drawBackpack(Canvas& canvas, const Look& look) {
  const cv::Scalar webbing = scaled(look.primary, 0.55);
  // Shoulder straps peek out at the sides; a loop handle on top.
  canvas.fill(roundRect(0.17, 0.26, 0.25, 0.80, 0.03), look.solid(webbing));
  canvas.fill(roundRect(0.75, 0.26, 0.83, 0.80, 0.03), look.solid(webbing));
  canvas.stroke(arc({0.5, 0.17}, 0.06, 0.06, 180, 360, 12), webbing, 0.022);
  const Poly body = join({arc({0.5, 0.32}, 0.26, 0.15, 180, 360, 24), arc({0.70, 0.85}, 0.06, 0.06, 0, 90, 6),
                          arc({0.30, 0.85}, 0.06, 0.06, 90, 180, 6)});
  canvas.fill(body, look.body());

  if (look.is("flap", "flap")) {
    const Poly flap = join(
        {arc({0.5, 0.32}, 0.26, 0.15, 180, 360, 24), Poly{{0.76, 0.36}}, arc({0.5, 0.37}, 0.26, 0.08, 0, 180, 16)});
    canvas.fill(flap, look.body(0.84));
    for (double x : {0.39, 0.61}) {
      canvas.fill(rect(x - 0.022, 0.36, x + 0.022, 0.52), look.solid(webbing));
      canvas.fill(rect(x - 0.03, 0.47, x + 0.03, 0.50), look.solid(look.metal));
    }
  } else {
    canvas.stroke(arc({0.5, 0.34}, 0.22, 0.11, 190, 350, 20), scaled(look.primary, 0.45), 0.012);
    canvas.fill(rect(0.70, 0.27, 0.725, 0.33), look.solid(look.metal));
  }

  const std::string& pocket = look.get("pocket");
  if (pocket == "one") {
    canvas.fill(roundRect(0.32, 0.60, 0.68, 0.86, 0.05), look.body(0.84));
    canvas.stroke({{0.35, 0.64}, {0.65, 0.64}}, scaled(look.primary, 0.45), 0.01);
  } else if (pocket == "two") {
    for (double x : {0.27, 0.52}) {
      canvas.fill(roundRect(x, 0.62, x + 0.21, 0.86, 0.04), look.body(0.84));
      canvas.stroke({{x + 0.03, 0.66}, {x + 0.18, 0.66}}, scaled(look.primary, 0.45), 0.01);
    }
  }
  drawLogo(canvas, look, {0.5, pocket == "none" ? 0.68 : 0.56}, 0.045);
}

}  // namespace moon::synth
