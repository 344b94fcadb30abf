// Side views of a cap (peak to the right) and a mug (handle to the right).

#include "core/synth/Look.h"

namespace moon::synth {

void drawCap(Canvas& canvas, const Look& look) {
  const Fill brim = look.is("trim", "contrast") ? look.solid(look.secondary) : look.body(0.9);
  if (look.is("brim", "flat")) {
    canvas.fill({{0.60, 0.60}, {0.97, 0.59}, {0.97, 0.645}, {0.60, 0.665}}, brim);
  } else {
    canvas.fill(join({arc({0.66, 0.80}, 0.30, 0.24, -80, -5, 12), arc({0.66, 0.80}, 0.25, 0.16, -5, -85, 12)}), brim);
  }
  const Poly crown = join({arc({0.45, 0.64}, 0.31, 0.40, 180, 360, 36), Poly{{0.14, 0.64}}});
  canvas.fill(crown, look.body());
  // Panel seams, the button on top and the back strap.
  canvas.stroke(arc({0.50, 0.64}, 0.16, 0.40, 182, 270, 16), look.outline, 0.006);
  canvas.stroke(arc({0.38, 0.64}, 0.16, 0.40, 270, 358, 16), look.outline, 0.006);
  canvas.fill(rect(0.14, 0.60, 0.76, 0.645), look.body(0.82));
  canvas.fill(arc({0.45, 0.245}, 0.035, 0.02, 0, 360, 12), look.body(0.75));
  canvas.fill(rect(0.15, 0.55, 0.21, 0.60), look.solid(scaled(look.primary, 0.55)));
  drawLogo(canvas, look, {0.52, 0.45}, 0.075);
}

void drawMug(Canvas& canvas, const Look& look) {
  const cv::Scalar glaze = scaled(look.primary, 0.92);
  if (look.is("handle", "square")) {
    canvas.stroke(Poly{{0.66, 0.36}, {0.84, 0.36}, {0.84, 0.70}, {0.66, 0.70}}, glaze, 0.05);
  } else {
    canvas.stroke(arc({0.68, 0.53}, 0.14, 0.16, -90, 90, 24), glaze, 0.05);
  }
  const Poly body = join({Poly{{0.22, 0.24}, {0.68, 0.24}}, arc({0.62, 0.82}, 0.06, 0.05, 0, 90, 6),
                          arc({0.28, 0.82}, 0.06, 0.05, 90, 180, 6)});
  canvas.fill(body, look.body());
  if (look.is("rim", "contrast")) canvas.fill(rect(0.22, 0.24, 0.68, 0.31), look.solid(look.accent));
  Fill inside = look.solid(cv::Scalar(40, 52, 70));
  canvas.fill(arc({0.45, 0.24}, 0.23, 0.045, 0, 360, 32), look.solid(scaled(look.primary, 0.8)));
  canvas.fill(arc({0.45, 0.245}, 0.2, 0.032, 0, 360, 32), inside);
  drawLogo(canvas, look, {0.45, 0.56}, 0.085);
}

}  // namespace moon::synth
