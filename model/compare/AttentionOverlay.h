#pragma once

// Attention of one trace token over a slot's image, ready to draw: the patch
// grid for a (layer, head, token) choice, averaged over layers or heads on
// request, and the image with that grid overlaid (core/image/AttentionHeatmap).

#include <vector>

#include <opencv2/core.hpp>

#include "core/image/AttentionHeatmap.h"
#include "model/inference/InferenceResult.h"

namespace moon {

struct CompareSlotResult;

struct AttentionChoice {
  int layer = -1;  // -1: mean over layers
  int head = -1;   // -1: mean over heads
  int query = -1;  // row of AttentionMaps (trace tokens, </think>, <emb>); -1: the last (<emb>)
};

// gridSide^2 weights, row-major; empty when the maps have no image part.
// Out-of-range indices are clamped.
std::vector<float> attentionGrid(const AttentionMaps& maps, const AttentionChoice& choice);

// The slot's image resized to `size` with the chosen attention drawn over it
// (8-bit BGR). Without an image: empty. Without attention maps: the plain
// resized image.
cv::Mat attentionOverlay(const CompareSlotResult& slot, const AttentionChoice& choice, cv::Size size, double opacity,
                         int colormap, const HeatmapOptions& options = {});

}  // namespace moon
