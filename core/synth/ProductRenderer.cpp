#include "core/synth/ProductRenderer.h"

#include <map>
#include <stdexcept>

#include "core/synth/Look.h"

namespace moon::synth {

ProductDrawing drawProduct(const std::string& fineCategory, const Attributes& imageAttributes, int pixels) {
  using DrawFn = void (*)(Canvas&, const Look&);
  static const std::map<std::string, DrawFn> kDrawers = {{"t-shirt", drawTshirt},  {"dress", drawDress},
                                                         {"hoodie", drawHoodie},   {"trousers", drawTrousers},
                                                         {"handbag", drawHandbag}, {"backpack", drawBackpack},
                                                         {"sneaker", drawSneaker}, {"boot", drawBoot},
                                                         {"cap", drawCap},         {"mug", drawMug}};
  auto it = kDrawers.find(fineCategory);
  if (it == kDrawers.end()) throw std::invalid_argument("no drawing for category '" + fineCategory + "'");
  Canvas canvas(pixels);
  const Look look(imageAttributes, pixels);
  it->second(canvas, look);
  canvas.shade();
  cv::Mat color = canvas.image();
  color.setTo(cv::Scalar::all(0), canvas.alpha() == 0);
  return {color, canvas.alpha()};
}

}  // namespace moon::synth
