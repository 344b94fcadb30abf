#pragma once

#include <cstdint>

#include "core/config/Config.h"

namespace moon {

// How batches are made (training/data). Image size and sequence limits must
// match the model's config; the trainer copies them from there.
struct LoaderConfig {
  int batch_size = 32;
  int workers = 2;
  int image_size = 96;
  int max_title_tokens = 32;
  // DESIGN.md §2 caps generated traces at 32 tokens, but a target trace of a
  // synthetic multimodal product (10 attributes, 4 tokens each: "; key: value")
  // takes about 40: the target limit is set so that none is cut.
  int max_trace_tokens = 48;
  bool shuffle = true;
  bool augment = true;
  int64_t seed = 0;
  int prefetch = 4;
  bool drop_last = false;

  template <class V>
  void visit(V& v) {
    v.field("batch_size", batch_size, "triplets or products per batch", Range{1, 65536});
    v.field("workers", workers, "threads decoding and augmenting images (0 = in the caller's thread)", Range{0, 64});
    v.field("image_size", image_size, "square image side in pixels", Range{8, 4096});
    v.field("max_title_tokens", max_title_tokens, "titles are cut to this many tokens", Range{1, 4096});
    v.field("max_trace_tokens", max_trace_tokens, "target traces are cut to this many tokens", Range{1, 4096});
    v.field("shuffle", shuffle, "shuffle the triplets every epoch");
    v.field("augment", augment, "random resized crop, flip and colour jitter on training images");
    v.field("seed", seed, "seed of the shuffling and the augmentation", Range{0, 9.0e15});
    v.field("prefetch", prefetch, "batches prepared ahead of the consumer", Range{1, 256});
    v.field("drop_last", drop_last, "drop the last, smaller batch of each epoch");
  }
};

}  // namespace moon
