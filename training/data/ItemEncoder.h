#pragma once

// Turns the pieces of one item (image, title, trace attributes) into tensors
// and token ids, and collates items into a ProductBatch. Shared by the
// triplet loader and the product batch builder; const and thread-safe.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/data/Product.h"
#include "core/text/BpeTokenizer.h"
#include "model/input/ProductBatch.h"
#include "training/data/LoaderConfig.h"
#include "training/data/SampleRng.h"

namespace moon {

// One row of a ProductBatch before collation.
struct PreparedItem {
  std::string id;
  torch::Tensor image;  // [3,S,S] float32 in [-1,1]; undefined = no image
  std::vector<int32_t> titleIds;
  std::vector<int32_t> traceIds;
};

// What an item shown in `view` can show (DESIGN.md §1): image-derived
// attributes for an image, text-derived ones for a title, the union for both
// (text wins on a clash).
Attributes attributesFor(const Product& product, Modality view);

class ItemEncoder {
 public:
  ItemEncoder(const LoaderConfig& config, BpeTokenizer tokenizer);

  // Token ids of a title, cut to max_title_tokens; special-token text in a
  // title stays text. Empty for no title.
  std::vector<int32_t> titleIds(const std::optional<std::string>& title) const;
  // Token ids of formatTrace(attributes), cut to max_trace_tokens.
  std::vector<int32_t> traceIds(const Attributes& attributes) const;
  // Augmented when `augmentRng` is given, else only resized.
  torch::Tensor imageTensor(const cv::Mat& bgr, SampleRng* augmentRng) const;

  ProductBatch collate(std::vector<PreparedItem>& items) const;

  const LoaderConfig& config() const { return config_; }
  int64_t padId() const { return padId_; }

 private:
  std::vector<int32_t> truncated(std::vector<int32_t> ids, int limit, const char* what,
                                 std::atomic<bool>& warned) const;

  LoaderConfig config_;
  BpeTokenizer tokenizer_;
  int64_t padId_;
  // A cut is logged once per kind, with the limit to raise.
  mutable std::atomic<bool> warnedTitleCut_{false};
  mutable std::atomic<bool> warnedTraceCut_{false};
};

}  // namespace moon
