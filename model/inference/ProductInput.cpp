#include "model/inference/ProductInput.h"

#include <algorithm>

#include "core/base/Error.h"
#include "model/input/ImageTensor.h"

namespace moon {

ProductBatch encodeProducts(const std::vector<ProductInput>& items, const TextCodec& codec, const ModelConfig& cfg,
                            int64_t padId, int maxTitleTokens) {
  const auto B = static_cast<int64_t>(items.size());
  const int S = cfg.vision.image_size;
  std::vector<std::vector<int64_t>> titles;
  int64_t width = 0;
  for (const auto& item : items) {
    std::vector<int64_t> ids;
    if (item.title && !item.title->empty()) {
      if (!codec.encode) throw Error("product '" + item.id + "': a title needs a tokenizer, and none is loaded");
      ids = codec.encode(*item.title);
      if (static_cast<int>(ids.size()) > maxTitleTokens) ids.resize(static_cast<size_t>(maxTitleTokens));
    }
    if (ids.empty() && item.image.empty()) throw Error("product '" + item.id + "' has neither an image nor a title");
    width = std::max(width, static_cast<int64_t>(ids.size()));
    titles.push_back(std::move(ids));
  }
  ProductBatch batch;
  batch.images = torch::zeros({B, 3, S, S});
  batch.hasImage = torch::zeros({B}, torch::kBool);
  batch.titleIds = torch::full({B, width}, padId, torch::kLong);
  batch.titleLengths = torch::zeros({B}, torch::kLong);
  batch.traceIds = torch::full({B, 0}, padId, torch::kLong);
  batch.traceLengths = torch::zeros({B}, torch::kLong);
  for (int64_t b = 0; b < B; ++b) {
    const auto& item = items[static_cast<size_t>(b)];
    if (!item.image.empty()) {
      batch.images[b].copy_(imageToTensor(item.image, S));
      batch.hasImage[b] = true;
    }
    const auto& ids = titles[static_cast<size_t>(b)];
    if (!ids.empty()) batch.titleIds[b].narrow(0, 0, static_cast<int64_t>(ids.size())).copy_(torch::tensor(ids));
    batch.titleLengths[b] = static_cast<int64_t>(ids.size());
    batch.ids.push_back(item.id);
  }
  return batch;
}

}  // namespace moon
