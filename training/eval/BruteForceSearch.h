#pragma once

// Reference exact search: every query against every gallery row with
// dotProduct(). Slow but obviously right; the FAISS path (GalleryIndex) is
// tested against it.

#include <cstddef>

#include "training/eval/EmbeddingMatrix.h"
#include "training/eval/SearchResult.h"

namespace moon {

// Throws FormatError when the dimensions differ or a value is not finite.
SearchResult searchTopKBruteForce(const EmbeddingMatrix& queries, const EmbeddingMatrix& gallery, std::size_t k);

}  // namespace moon
