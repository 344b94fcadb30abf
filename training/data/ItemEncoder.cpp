#include "training/data/ItemEncoder.h"

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/TraceFormat.h"
#include "core/text/SpecialTokens.h"
#include "model/input/ImageTensor.h"
#include "training/data/ImageAugment.h"

namespace moon {
namespace {

// [B, max(1, longest)] int64, right-padded, and the lengths.
std::pair<torch::Tensor, torch::Tensor> padded(const std::vector<const std::vector<int32_t>*>& rows, int64_t padId) {
  const int64_t batch = int64_t(rows.size());
  int64_t width = 1;
  for (const auto* row : rows) width = std::max(width, int64_t(row->size()));
  torch::Tensor ids = torch::full({batch, width}, padId, torch::kInt64);
  torch::Tensor lengths = torch::empty({batch}, torch::kInt64);
  auto idAccess = ids.accessor<int64_t, 2>();
  auto lengthAccess = lengths.accessor<int64_t, 1>();
  for (int64_t b = 0; b < batch; ++b) {
    const auto& row = *rows[size_t(b)];
    for (size_t i = 0; i < row.size(); ++i) idAccess[b][int64_t(i)] = row[i];
    lengthAccess[b] = int64_t(row.size());
  }
  return {ids, lengths};
}

}  // namespace

Attributes attributesFor(const Product& product, Modality view) {
  if (view == Modality::Image) return product.imageAttributes;
  if (view == Modality::Text) return product.textAttributes;
  return product.allAttributes();
}

ItemEncoder::ItemEncoder(const LoaderConfig& config, BpeTokenizer tokenizer)
    : config_(config), tokenizer_(std::move(tokenizer)) {
  if (config_.batch_size < 1 || config_.image_size < 1 || config_.max_title_tokens < 1 || config_.max_trace_tokens < 1)
    throw ConfigError("loader: batch_size, image_size, max_title_tokens and max_trace_tokens must be positive");
  // A Qwen-family tokenizer may lack <pad>; the lengths tell the model where rows end anyway.
  padId_ = tokenizer_.findTokenId(special::kPad).value_or(0);
}

std::vector<int32_t> ItemEncoder::truncated(std::vector<int32_t> ids, int limit, const char* what,
                                            std::atomic<bool>& warned) const {
  if (int(ids.size()) <= limit) return ids;
  if (!warned.exchange(true))
    log::training()->warn("loader: a {} of {} tokens was cut to {} (max_{}_tokens); further cuts are not logged", what,
                          ids.size(), limit, what);
  ids.resize(size_t(limit));
  return ids;
}

std::vector<int32_t> ItemEncoder::titleIds(const std::optional<std::string>& title) const {
  if (!title || title->empty()) return {};
  return truncated(tokenizer_.encodePlain(*title), config_.max_title_tokens, "title", warnedTitleCut_);
}

std::vector<int32_t> ItemEncoder::traceIds(const Attributes& attributes) const {
  if (attributes.empty()) return {};
  return truncated(tokenizer_.encodePlain(formatTrace(attributes)), config_.max_trace_tokens, "trace", warnedTraceCut_);
}

torch::Tensor ItemEncoder::imageTensor(const cv::Mat& bgr, SampleRng* augmentRng) const {
  const int size = config_.image_size;
  return imageToTensor(augmentRng ? augmentImage(bgr, size, *augmentRng) : bgr, size);
}

ProductBatch ItemEncoder::collate(std::vector<PreparedItem>& items) const {
  const int64_t batch = int64_t(items.size());
  const int64_t size = config_.image_size;
  ProductBatch out;
  out.images = torch::zeros({batch, 3, size, size}, torch::kFloat32);
  out.hasImage = torch::zeros({batch}, torch::kBool);
  auto hasImage = out.hasImage.accessor<bool, 1>();
  std::vector<const std::vector<int32_t>*> titles, traces;
  for (int64_t b = 0; b < batch; ++b) {
    PreparedItem& item = items[size_t(b)];
    if (item.image.defined()) {
      out.images[b].copy_(item.image);
      hasImage[b] = true;
    }
    titles.push_back(&item.titleIds);
    traces.push_back(&item.traceIds);
    out.ids.push_back(std::move(item.id));
  }
  std::tie(out.titleIds, out.titleLengths) = padded(titles, padId_);
  std::tie(out.traceIds, out.traceLengths) = padded(traces, padId_);
  return out;
}

}  // namespace moon
