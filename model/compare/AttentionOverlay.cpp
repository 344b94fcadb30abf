#include "model/compare/AttentionOverlay.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "model/compare/ComparisonResult.h"

namespace moon {

std::vector<float> attentionGrid(const AttentionMaps& maps, const AttentionChoice& choice) {
  if (maps.empty() || maps.gridSide <= 0 || maps.imageKeys.empty()) return {};
  const int query = choice.query < 0 ? maps.queries - 1 : std::min(choice.query, maps.queries - 1);
  const int l0 = choice.layer < 0 ? 0 : std::min(choice.layer, maps.layers - 1);
  const int l1 = choice.layer < 0 ? maps.layers : l0 + 1;
  const int h0 = choice.head < 0 ? 0 : std::min(choice.head, maps.heads - 1);
  const int h1 = choice.head < 0 ? maps.heads : h0 + 1;
  std::vector<float> sum(maps.imageKeys.size(), 0.0f);
  for (int l = l0; l < l1; ++l)
    for (int h = h0; h < h1; ++h) {
      const auto m = maps.imageMap(l, h, query);
      for (size_t i = 0; i < sum.size(); ++i) sum[i] += m[i];
    }
  const float n = float((l1 - l0) * (h1 - h0));
  for (float& v : sum) v /= n;
  return sum;
}

cv::Mat attentionOverlay(const CompareSlotResult& slot, const AttentionChoice& choice, cv::Size size, double opacity,
                         int colormap, const HeatmapOptions& options) {
  const cv::Mat& image = slot.input.image;
  if (image.empty()) return {};
  cv::Mat resized;
  cv::resize(image, resized, size, 0, 0, size.area() < image.size().area() ? cv::INTER_AREA : cv::INTER_CUBIC);
  const auto grid = attentionGrid(slot.multimodal.attention, choice);
  if (grid.empty()) return resized;
  const cv::Mat heat = attentionHeatmap(grid, slot.multimodal.attention.gridSide, size, options);
  return overlayHeatmap(resized, heat, opacity, colormap);
}

}  // namespace moon
