#pragma once

// A product as a user gives it (an image and/or a title), turned into the
// ProductBatch the model reads.

#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "model/config/ModelConfig.h"
#include "model/inference/InferenceContext.h"
#include "model/input/ProductBatch.h"

namespace moon {

struct ProductInput {
  std::string id;
  std::optional<std::string> title;  // none or "" = no text
  cv::Mat image;                     // 8-bit BGR; empty = no image
};

// Titles go through codec.encode, cut to `maxTitleTokens`; images through
// imageToTensor at the model's size. Throws Error when a title is given but
// the codec cannot encode, or when an item has neither image nor title.
ProductBatch encodeProducts(const std::vector<ProductInput>& items, const TextCodec& codec, const ModelConfig& cfg,
                            int64_t padId, int maxTitleTokens = 64);

}  // namespace moon
