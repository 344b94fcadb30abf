#pragma once

// The Embeddings view's worker-thread job: a checkpoint's map
// (training/eval/EmbeddingMap.h: embed, project, cached next to the
// checkpoint) joined with what the view colours and shows per point, and
// optionally put on the axes of the map shown before (Procrustes on the
// products both share), so stepping through a run's checkpoints keeps the
// picture still where the model did not change.

#include <QString>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "training/eval/EmbeddingMap.h"
#include "views/common/Job.h"

namespace moon {

struct MapPoint {
  std::string id;
  std::string title;
  std::string coarseCategory;
  std::string fineCategory;
  std::string split;  // the split whose triplets name the product; "" for none
  long triplet = -1;  // a triplet of `split` with this product as its positive; -1 for none
  std::string imageFile;
  std::string trace;  // what the product was embedded after (the <emb> map)
  Attributes attributes;
  std::size_t group = 0;  // near-duplicate group (EmbeddingMap.h)
};

struct MapRequest {
  QString checkpoint;
  EmbeddingMapOptions options;  // progress and cancel are the job's
  // The map on screen, to align the new one to (same split, any checkpoint).
  std::vector<std::string> alignIds;
  std::vector<float> alignXy;
};

struct MapData {
  MapRequest request;
  EmbeddingMap map;
  std::vector<MapPoint> points;            // one per map row
  std::vector<std::string> attributeKeys;  // every key some point has, sorted
  std::size_t alignedOn = 0;               // products shared with the reference (0: not aligned)
  double seconds = 0.0;
};

class EmbeddingMapJob : public Job {
  Q_OBJECT
 public:
  explicit EmbeddingMapJob(MapRequest request);
  const MapRequest& request() const { return request_; }
  // After finished(true).
  std::shared_ptr<const MapData> data() const { return data_; }
  // The stage the worker is in ("embedding products", "t-SNE", ...); any thread.
  QString stage() const;

 protected:
  bool run() override;

 private:
  MapRequest request_;
  std::shared_ptr<MapData> data_;
  mutable std::mutex stageMutex_;
  QString stage_;
};

}  // namespace moon
