#include "core/image/AttentionHeatmap.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"

namespace moon {

cv::Mat attentionHeatmap(const std::vector<float>& grid, int side, cv::Size size, const HeatmapOptions& options) {
  if (side <= 0 || grid.size() != static_cast<size_t>(side) * static_cast<size_t>(side))
    throw FormatError("attention heat map: " + std::to_string(grid.size()) + " weights do not fill a " +
                      std::to_string(side) + "x" + std::to_string(side) + " patch grid");
  if (size.width <= 0 || size.height <= 0) throw FormatError("attention heat map: empty target size");
  cv::Mat map(side, side, CV_32F);
  std::copy(grid.begin(), grid.end(), map.ptr<float>());
  cv::max(map, 0.0, map);
  if (options.normalize) {
    double lo = 0, hi = 0;
    cv::minMaxLoc(map, &lo, &hi);
    if (hi - lo > 1e-12)
      map = (map - lo) / (hi - lo);
    else
      map.setTo(0);
  } else {
    cv::min(map, 1.0, map);
  }
  cv::Mat out;
  cv::resize(map, out, size, 0, 0, options.smooth ? cv::INTER_LINEAR : cv::INTER_NEAREST);
  // Bilinear interpolation of values in [0,1] stays in [0,1]; clamp rounding anyway.
  cv::min(cv::max(out, 0.0), 1.0, out);
  return out;
}

cv::Mat overlayHeatmap(const cv::Mat& image, const cv::Mat& heat, double opacity, int colormap) {
  if (image.empty() || image.type() != CV_8UC3) throw FormatError("heat map overlay: the image must be 8-bit BGR");
  if (heat.empty() || heat.type() != CV_32F) throw FormatError("heat map overlay: the heat map must be CV_32F");
  cv::Mat scaled = heat;
  if (heat.size() != image.size()) cv::resize(heat, scaled, image.size(), 0, 0, cv::INTER_LINEAR);
  cv::Mat bytes, colours;
  scaled.convertTo(bytes, CV_8U, 255.0);
  cv::applyColorMap(bytes, colours, colormap);
  const double a = std::clamp(opacity, 0.0, 1.0);
  cv::Mat out;
  cv::addWeighted(image, 1.0 - a, colours, a, 0.0, out);
  return out;
}

const std::vector<NamedColormap>& heatmapColormaps() {
  static const std::vector<NamedColormap> maps = {
      {"jet", cv::COLORMAP_JET},         {"turbo", cv::COLORMAP_TURBO}, {"viridis", cv::COLORMAP_VIRIDIS},
      {"inferno", cv::COLORMAP_INFERNO}, {"magma", cv::COLORMAP_MAGMA}, {"hot", cv::COLORMAP_HOT},
  };
  return maps;
}

}  // namespace moon
