#pragma once

// The colours and pattern texture of one product, derived from its image
// attributes, shared by the category drawing functions.

#include <string>

#include <opencv2/core.hpp>

#include "core/data/Product.h"
#include "core/synth/Canvas.h"

namespace moon::synth {

// BGR colour of a colour name of the vocabulary (grey for an unknown name).
cv::Scalar colorByName(const std::string& name);

struct Look {
  Look(const Attributes& attributes, int pixels);

  const std::string& get(const std::string& key) const;  // "" when absent
  bool is(const std::string& key, const std::string& value) const { return get(key) == value; }

  Fill body(double shade = 1.0) const;  // the patterned material
  Fill solid(const cv::Scalar& color) const;

  const Attributes& attributes;
  cv::Scalar primary;
  cv::Scalar secondary;  // pattern and contrast trim
  cv::Scalar outline;
  cv::Scalar accent;  // logos: contrasts with the primary colour
  cv::Scalar metal;   // zips, buckles, clasps
  cv::Mat paint;      // primary colour with the pattern, canvas-sized
};

// The product's logo mark (attribute "logo": none, star, circle, text) centred at `center`.
void drawLogo(Canvas& canvas, const Look& look, cv::Point2d center, double radius);

// One drawing function per fine category; each draws the whole product.
void drawTshirt(Canvas& canvas, const Look& look);
void drawDress(Canvas& canvas, const Look& look);
void drawHoodie(Canvas& canvas, const Look& look);
void drawTrousers(Canvas& canvas, const Look& look);
void drawHandbag(Canvas& canvas, const Look& look);
void drawBackpack(Canvas& canvas, const Look& look);
void drawSneaker(Canvas& canvas, const Look& look);
void drawBoot(Canvas& canvas, const Look& look);
void drawCap(Canvas& canvas, const Look& look);
void drawMug(Canvas& canvas, const Look& look);

}  // namespace moon::synth
