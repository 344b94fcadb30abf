#pragma once

// Turns a product drawing into photographs: the catalogue ("gallery") shot
// on a plain studio background, and the shopper's query shot — another
// listing of the same product with a different background, viewpoint,
// scale, lighting and JPEG quality.

#include <cstdint>

#include <opencv2/core.hpp>

#include "core/synth/ProductRenderer.h"

namespace moon::synth {

// The working resolution to draw at for an output of `size` pixels.
int drawingPixels(int size);

// Studio shot: light background, soft floor shadow, small pose jitter from
// `poseSeed` (shared by a family so near-duplicates are photographed alike).
cv::Mat galleryShot(const ProductDrawing& drawing, int size, uint64_t poseSeed);

struct QueryShot {
  cv::Mat image;
  int jpegQuality = 75;  // the query photo is saved at this quality
};

QueryShot queryShot(const ProductDrawing& drawing, int size, uint64_t lookSeed);

}  // namespace moon::synth
