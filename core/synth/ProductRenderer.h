#pragma once

// Draws a product of the synthetic catalogue from its category and image
// attributes. The drawing is a pure function of its inputs: near-duplicates
// differ exactly in the attribute that differs.

#include <string>

#include <opencv2/core.hpp>

#include "core/data/Product.h"

namespace moon::synth {

struct ProductDrawing {
  cv::Mat color;  // CV_8UC3 BGR premultiplied by alpha (black outside the product)
  cv::Mat alpha;  // CV_8UC1 coverage, 255 inside the product
};

// `pixels` is the working resolution (the composer supersamples: draw large,
// scale down). Throws std::invalid_argument for an unknown category
// (a programmer error: the plan only uses vocabulary categories).
ProductDrawing drawProduct(const std::string& fineCategory, const Attributes& imageAttributes, int pixels);

}  // namespace moon::synth
