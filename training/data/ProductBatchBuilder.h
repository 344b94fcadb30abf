#pragma once

// ProductBatches of catalogue products (galleries for evaluation, the GUI's
// embedding views) and of a user's own input (the Compare view), in order,
// without augmentation.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "core/text/BpeTokenizer.h"
#include "model/input/ProductBatch.h"
#include "training/data/LoaderConfig.h"

namespace moon {

class ImageSource;
class ItemEncoder;

// A user's own query: either part may be missing (not both).
struct ProductInput {
  std::optional<std::string> imagePath;  // absolute, or relative to the dataset folder
  std::optional<std::string> title;
};

class ProductBatchBuilder {
 public:
  ProductBatchBuilder(const LoaderConfig& config, std::string datasetRoot, BpeTokenizer tokenizer);
  ~ProductBatchBuilder();

  // Products [begin, end) as one batch, shown as `view` (multimodal: image,
  // title, trace of all attributes; image: image and image attributes; text:
  // title and text attributes). A product image that cannot be read leaves
  // its row without image (hasImage false): the row keeps its product id, so
  // a gallery stays complete; the file is named once in the log and counted.
  ProductBatch build(const std::vector<Product>& products, size_t begin, size_t end,
                     Modality view = Modality::Multimodal) const;

  // Every product in batches of batch_size, in order, made ahead on the
  // worker threads. `consume(batch, firstIndex)` returns false to stop early.
  void forEachBatch(const std::vector<Product>& products,
                    const std::function<bool(ProductBatch&& batch, size_t firstIndex)>& consume,
                    Modality view = Modality::Multimodal) const;

  // The user's inputs, one row each, no trace target. Throws IoError or
  // FormatError naming an image that cannot be read, FormatError for an
  // input with neither image nor title.
  ProductBatch buildInputs(const std::vector<ProductInput>& inputs) const;

  int64_t unreadableImages() const;  // distinct files met so far

 private:
  std::shared_ptr<ItemEncoder> encoder_;
  std::shared_ptr<ImageSource> images_;
};

}  // namespace moon
