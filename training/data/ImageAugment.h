#pragma once

// Training-time image augmentation and the plain resize used for evaluation.
// Both take an 8-bit BGR image and return a size x size one for imageToTensor().

#include <opencv2/core.hpp>

#include "training/data/SampleRng.h"

namespace moon {

struct AugmentParams {
  double minCropArea = 0.6;    // random resized crop keeps 60-100 % of the area
  double maxAspect = 4.0 / 3;  // and an aspect ratio within [3/4, 4/3]
  double flipProbability = 0.5;
  double brightness = 0.2;  // factors drawn from [1 - x, 1 + x]
  double contrast = 0.2;
  double saturation = 0.2;
};

// Random resized crop, horizontal flip, brightness / contrast / saturation jitter.
cv::Mat augmentImage(const cv::Mat& bgr, int size, SampleRng& rng, const AugmentParams& params = {});

// Resize only (INTER_AREA when shrinking).
cv::Mat resizeImage(const cv::Mat& bgr, int size);

}  // namespace moon
