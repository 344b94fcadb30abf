#pragma once

// Attention over image patches drawn on the image: a patch grid becomes a
// heat map the size of the picture, coloured with an OpenCV colour map and
// blended over it. Qt-free so the GUI, exports and tests share one drawing.
//
//   cv::Mat heat = attentionHeatmap(maps.imageMap(layer, head, token), maps.gridSide, image.size());
//   cv::Mat shown = overlayHeatmap(image, heat, 0.5, cv::COLORMAP_JET);

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace moon {

struct HeatmapOptions {
  // Stretch min..max to 0..1, so the patches a token prefers stand out even when
  // attention is nearly uniform (a flat map becomes 0). Else weights are used
  // as they are, clipped to [0,1].
  bool normalize = true;
  bool smooth = true;  // bilinear upsampling; false keeps the patch blocks visible
};

// `grid` holds side*side non-negative weights, row-major. Returns a CV_32F
// map of `size` with values in [0,1]. Throws FormatError when the grid does
// not hold side*side values or `size` is empty.
cv::Mat attentionHeatmap(const std::vector<float>& grid, int side, cv::Size size, const HeatmapOptions& options = {});

// `heat` (CV_32F in [0,1], any size: resized to the image) coloured with
// `colormap` (cv::COLORMAP_*) and blended over the 8-bit BGR `image` with
// `opacity` in [0,1] (0: the image, 1: only the colours). Returns 8-bit BGR.
cv::Mat overlayHeatmap(const cv::Mat& image, const cv::Mat& heat, double opacity, int colormap);

struct NamedColormap {
  std::string name;  // "jet", "viridis", ...
  int id;            // cv::COLORMAP_*
};
// The colour maps offered to users, the default first.
const std::vector<NamedColormap>& heatmapColormaps();

}  // namespace moon
