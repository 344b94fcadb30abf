#include "model/inference/BatchViews.h"

#include <algorithm>

namespace moon {
namespace {

torch::Tensor padColumns(const torch::Tensor& t, int64_t rows, int64_t width, int64_t padId) {
  auto out = torch::full({rows, width}, padId, torch::kLong);
  if (t.defined() && t.dim() == 2 && t.size(1) > 0) out.narrow(1, 0, t.size(1)).copy_(t.to(torch::kCPU, torch::kLong));
  return out;
}

int64_t width(const torch::Tensor& t) { return t.defined() && t.dim() == 2 ? t.size(1) : 0; }

torch::Tensor lengthsOrZero(const torch::Tensor& t, int64_t rows) {
  return t.defined() ? t.to(torch::kCPU, torch::kLong) : torch::zeros({rows}, torch::kLong);
}

}  // namespace

ProductBatch modalityView(const ProductBatch& batch, Modality modality) {
  ProductBatch v = batch;
  if (modality == Modality::Text) {
    v.hasImage = torch::zeros_like(batch.hasImage);
    if (batch.images.defined()) v.images = torch::zeros_like(batch.images);
  } else if (modality == Modality::Image) {
    v.titleLengths = torch::zeros_like(batch.titleLengths);
  }
  return v;
}

bool viewAvailable(const ProductBatch& batch, int64_t row, Modality modality) {
  const bool image = batch.hasImage[row].item<bool>();
  const bool text = batch.titleLengths[row].item<int64_t>() > 0;
  switch (modality) {
    case Modality::Text:
      return text;
    case Modality::Image:
      return image;
    case Modality::Multimodal:
      return image || text;
  }
  return false;
}

ProductBatch selectRows(const ProductBatch& batch, const std::vector<int64_t>& rows) {
  const auto index = torch::tensor(rows, torch::kLong);
  auto pick = [&](const torch::Tensor& t) {
    return t.defined() ? t.index_select(0, index.to(t.device())) : torch::Tensor();
  };
  ProductBatch out;
  out.images = pick(batch.images);
  out.hasImage = pick(batch.hasImage);
  out.titleIds = pick(batch.titleIds);
  out.titleLengths = pick(batch.titleLengths);
  out.traceIds = pick(batch.traceIds);
  out.traceLengths = pick(batch.traceLengths);
  for (int64_t r : rows)
    out.ids.push_back(static_cast<size_t>(r) < batch.ids.size() ? batch.ids[static_cast<size_t>(r)] : "");
  return out;
}

ProductBatch concatBatches(const std::vector<ProductBatch>& batches, int64_t padId) {
  int64_t titleWidth = 0, traceWidth = 0;
  for (const auto& b : batches) {
    titleWidth = std::max(titleWidth, width(b.titleIds));
    traceWidth = std::max(traceWidth, width(b.traceIds));
  }
  std::vector<torch::Tensor> images, hasImage, titleIds, titleLengths, traceIds, traceLengths;
  ProductBatch out;
  for (const auto& b : batches) {
    const int64_t n = b.size();
    if (n == 0) continue;
    images.push_back(b.images.to(torch::kCPU, torch::kFloat));
    hasImage.push_back(b.hasImage.to(torch::kCPU, torch::kBool));
    titleIds.push_back(padColumns(b.titleIds, n, titleWidth, padId));
    titleLengths.push_back(lengthsOrZero(b.titleLengths, n));
    traceIds.push_back(padColumns(b.traceIds, n, traceWidth, padId));
    traceLengths.push_back(lengthsOrZero(b.traceLengths, n));
    for (int64_t i = 0; i < n; ++i)
      out.ids.push_back(static_cast<size_t>(i) < b.ids.size() ? b.ids[static_cast<size_t>(i)] : "");
  }
  if (images.empty()) return out;
  out.images = torch::cat(images);
  out.hasImage = torch::cat(hasImage);
  out.titleIds = torch::cat(titleIds);
  out.titleLengths = torch::cat(titleLengths);
  out.traceIds = torch::cat(traceIds);
  out.traceLengths = torch::cat(traceLengths);
  return out;
}

ProductBatch withoutTraces(const ProductBatch& batch) {
  ProductBatch out = batch;
  out.traceLengths = torch::zeros_like(batch.traceLengths);
  return out;
}

}  // namespace moon
