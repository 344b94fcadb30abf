#pragma once

// Gallery embedding that survives an interruption (issue #16): the items are
// embedded in chunks, each written atomically to `folder/chunk-NNNNNN.safetensors`
// as soon as it is done. Run again with the same inputs, the chunks on disk
// are read back instead of computed, so an interrupted million-product
// embedding (half an hour on two cores) resumes where it stopped. `folder`
// holds a manifest naming what its chunks are of (`fingerprint`); a folder of
// other inputs is cleared and started over.

#include <cstddef>
#include <string>
#include <vector>

#include "training/eval/GalleryEmbedder.h"

namespace moon {

struct ResumableEmbedOptions {
  std::string folder;             // where the chunks live (created; removed by the caller when done)
  std::string fingerprint;        // what the embedding is of (checkpoint, data, modality, traces, ...)
  std::size_t chunkItems = 8192;  // rounded up to a multiple of the embedder's batch size
};

struct ResumableEmbedResult {
  EmbeddedItems items;  // ids, itemIndex, embeddings, skipped (no traces or <disc_emb>)
  std::size_t chunks = 0;
  std::size_t resumedChunks = 0;  // read back from the folder instead of computed
};

// Throws Cancelled (after the last finished chunk was written), IoError or
// FormatError naming a chunk file that cannot be written or read back.
ResumableEmbedResult embedResumable(const GalleryEmbedder& embedder, MoonModelImpl& model,
                                    const std::vector<Product>& items, const EmbedOptions& options,
                                    const ResumableEmbedOptions& resumable);

}  // namespace moon
