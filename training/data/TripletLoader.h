#pragma once

// Training batches of (query, positive, near-duplicate negative) triplets.
//
// Worker threads read, augment and tokenise ahead of the trainer (bounded by
// `prefetch`). Batch k of epoch e depends only on (seed, e, k): the epoch's
// order is a shuffle seeded from (seed, e) and each sample's augmentation is
// seeded from (seed, e, position), so the stream is the same for any number
// of workers and can be resumed exactly at a DataPosition.
//
// Queries come in their own modality; positives and negatives are shown
// multimodal. A triplet whose image cannot be read at batch time (missing or
// corrupt file) is replaced by another triplet chosen deterministically; the
// file is named once in the log and the replacement is counted.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "core/text/BpeTokenizer.h"
#include "model/input/ProductBatch.h"
#include "training/data/LoaderConfig.h"

namespace moon {

template <class T>
class BatchPrefetcher;

// Where the data stream is: the next batch to be delivered.
struct DataPosition {
  int64_t epoch = 0;
  int64_t batch = 0;
  bool operator==(const DataPosition& o) const { return epoch == o.epoch && batch == o.batch; }
};

// Data-parallel workers each take one shard of a global batch: with `count`
// shards, the epoch is cut into global batches of batch_size·count triplets
// (only full ones: every shard has batch_size rows) and shard `index` gets rows
// [index·batch_size, (index+1)·batch_size) of each, exactly the rows, images
// and augmentations a single loader with batch_size·count would deliver there.
struct LoaderShard {
  int index = 0;
  int count = 1;
};

struct LoaderStats {
  int64_t replacedSamples = 0;  // triplets of the delivered batches replaced because an image could not be read
  int64_t badImageFiles = 0;    // distinct unreadable files met so far (batches made ahead included)
  int64_t skippedTriplets = 0;  // dropped at construction (unknown product, query lacking its modality)
};

class TripletLoader {
 public:
  // Throws ConfigError when no triplet is usable or drop_last leaves no batch.
  TripletLoader(const LoaderConfig& config, std::vector<Product> products, std::vector<Triplet> triplets,
                std::string datasetRoot, BpeTokenizer tokenizer, DataPosition start = {}, LoaderShard shard = {});
  ~TripletLoader();

  // The batch at position(); the position then moves on, into the next epoch
  // after the last batch of this one. Call from one thread.
  TripletBatch next();
  DataPosition position() const;
  void seek(DataPosition position);

  int64_t batchesPerEpoch() const;
  int64_t tripletCount() const;
  LoaderStats stats() const;

 private:
  int64_t globalIndex(DataPosition position) const;  // throws ConfigError outside an epoch

  struct State;
  std::shared_ptr<State> state_;
  struct Built;
  std::unique_ptr<BatchPrefetcher<Built>> batches_;  // declared last: its workers stop first
};

}  // namespace moon
