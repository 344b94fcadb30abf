#include "training/data/ProductBatchBuilder.h"

#include "core/base/Error.h"
#include "core/image/ImageIo.h"
#include "training/data/BatchPrefetcher.h"
#include "training/data/ImageSource.h"
#include "training/data/ItemEncoder.h"

namespace moon {

ProductBatchBuilder::ProductBatchBuilder(const LoaderConfig& config, std::string datasetRoot, BpeTokenizer tokenizer)
    : encoder_(std::make_shared<ItemEncoder>(config, std::move(tokenizer))),
      images_(std::make_shared<ImageSource>(std::move(datasetRoot))) {}

ProductBatchBuilder::~ProductBatchBuilder() = default;

ProductBatch ProductBatchBuilder::build(const std::vector<Product>& products, size_t begin, size_t end,
                                        Modality view) const {
  end = std::min(end, products.size());
  std::vector<PreparedItem> items;
  for (size_t i = begin; i < end; ++i) {
    const Product& p = products[i];
    PreparedItem item;
    item.id = p.id;
    if (view != Modality::Text && !p.imagePath.empty())
      if (auto image = images_->read(p.imagePath)) item.image = encoder_->imageTensor(*image, nullptr);
    if (view != Modality::Image) item.titleIds = encoder_->titleIds(p.title);
    item.traceIds = encoder_->traceIds(attributesFor(p, view));
    items.push_back(std::move(item));
  }
  return encoder_->collate(items);
}

void ProductBatchBuilder::forEachBatch(const std::vector<Product>& products,
                                       const std::function<bool(ProductBatch&&, size_t)>& consume,
                                       Modality view) const {
  const int64_t batchSize = encoder_->config().batch_size;
  const int64_t batches = (int64_t(products.size()) + batchSize - 1) / batchSize;
  BatchPrefetcher<ProductBatch> prefetcher(
      [&](int64_t b) { return build(products, size_t(b * batchSize), size_t((b + 1) * batchSize), view); },
      encoder_->config().workers, encoder_->config().prefetch, 0, batches);
  while (!prefetcher.atEnd()) {
    const size_t first = size_t(prefetcher.position() * batchSize);
    if (!consume(prefetcher.next(), first)) return;  // the prefetcher's destructor stops the workers
  }
}

ProductBatch ProductBatchBuilder::buildInputs(const std::vector<ProductInput>& inputs) const {
  std::vector<PreparedItem> items;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ProductInput& in = inputs[i];
    const bool hasImage = in.imagePath && !in.imagePath->empty();
    const bool hasTitle = in.title && !in.title->empty();
    if (!hasImage && !hasTitle) throw FormatError("input " + std::to_string(i + 1) + " has neither image nor title");
    PreparedItem item;
    if (hasImage) {
      // The user chose this file: read it as given, report problems, remember nothing.
      item.image = encoder_->imageTensor(readImageChecked(images_->resolve(*in.imagePath)), nullptr);
    }
    item.titleIds = encoder_->titleIds(in.title);
    items.push_back(std::move(item));
  }
  return encoder_->collate(items);
}

int64_t ProductBatchBuilder::unreadableImages() const { return images_->badFileCount(); }

}  // namespace moon
