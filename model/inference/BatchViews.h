#pragma once

// Views of a ProductBatch: the same products presented text-only,
// image-only or multimodal (DESIGN.md §1), and row selection/concatenation
// so several views run as one padded batch.

#include <vector>

#include "core/data/Product.h"
#include "model/input/ProductBatch.h"

namespace moon {

// Text: images dropped; Image: title dropped; Multimodal: unchanged. Traces are kept.
ProductBatch modalityView(const ProductBatch& batch, Modality modality);

// Whether row `row` has what `modality` needs (a title, an image, or either).
bool viewAvailable(const ProductBatch& batch, int64_t row, Modality modality);

// `batch` with every trace removed (an empty think block): how candidates are
// embedded (LREM) and the prompt of generation.
ProductBatch withoutTraces(const ProductBatch& batch);

ProductBatch selectRows(const ProductBatch& batch, const std::vector<int64_t>& rows);

// Rows of every batch in order; title/trace tensors are right-padded to the
// widest with `padId`. All batches share an image size.
ProductBatch concatBatches(const std::vector<ProductBatch>& batches, int64_t padId);

}  // namespace moon
