#pragma once

// The one conversion between OpenCV images and model input tensors, shared
// by the loader, the model helpers and the GUI's visualisations.

#include <torch/torch.h>
#include <opencv2/core.hpp>

namespace moon {

// BGR (or grey / BGRA) 8-bit image -> [3,size,size] float32 RGB in [-1,1].
// Shrinking uses INTER_AREA, enlarging INTER_LINEAR; the aspect ratio is not
// kept (crop first if it matters). Throws FormatError for an empty image or
// one that is not 8-bit with 1, 3 or 4 channels.
torch::Tensor imageToTensor(const cv::Mat& bgr, int size);

// [3,H,W] (or [1,3,H,W]) RGB in [-1,1], any device or float dtype -> 8-bit BGR image.
cv::Mat tensorToImage(const torch::Tensor& image);

}  // namespace moon
