#include "views/embeddings/EmbeddingMapJob.h"

#include <QElapsedTimer>

#include <set>
#include <unordered_map>

#include "training/eval/CheckpointEvaluation.h"
#include "training/eval/Projection.h"

namespace moon {

EmbeddingMapJob::EmbeddingMapJob(MapRequest request)
    : Job(tr("Mapping the embeddings of %1").arg(request.checkpoint)), request_(std::move(request)) {}

QString EmbeddingMapJob::stage() const {
  std::lock_guard<std::mutex> lock(stageMutex_);
  return stage_;
}

bool EmbeddingMapJob::run() {
  QElapsedTimer timer;
  timer.start();
  auto data = std::make_shared<MapData>();
  data->request = request_;
  EmbeddingMapOptions o = request_.options;
  o.cancel = cancelFlag();
  o.progress = [this](const std::string& stage, double fraction) {
    {
      std::lock_guard<std::mutex> lock(stageMutex_);
      stage_ = QString::fromStdString(stage);
    }
    setProgress(97.0 * fraction);
  };
  data->map = computeEmbeddingMap(request_.checkpoint.toStdString(), o);
  if (isCanceled()) return false;

  const Dataset dataset = loadDatasetForSplit(data->map.dataDir, "all", false);
  std::unordered_map<std::string, std::string> splitOf;
  std::unordered_map<std::string, long> tripletOf;
  for (const auto& name : dataset.splitNames()) {
    const std::vector<Triplet>& triplets = dataset.split(name);
    for (std::size_t i = 0; i < triplets.size(); ++i) {
      splitOf.emplace(triplets[i].positiveId, name);
      splitOf.emplace(triplets[i].negativeId, name);
      tripletOf.emplace(triplets[i].positiveId, long(i));
    }
  }
  const std::vector<std::size_t> groups = nearDuplicateGroups(dataset, data->map.ids);
  std::set<std::string> keys;
  data->points.reserve(data->map.ids.size());
  for (std::size_t r = 0; r < data->map.ids.size(); ++r) {
    MapPoint p;
    p.id = data->map.ids[r];
    p.group = groups[r];
    if (r < data->map.traces.size()) p.trace = data->map.traces[r];
    if (const Product* product = dataset.findProduct(p.id)) {
      p.title = product->title;
      p.coarseCategory = product->coarseCategory();
      p.fineCategory = product->fineCategory();
      p.attributes = product->allAttributes();
      if (!product->imagePath.empty()) p.imageFile = dataset.imageFile(product->imagePath);
      for (const auto& [key, value] : p.attributes) keys.insert(key);
    }
    const auto s = splitOf.find(p.id);
    if (s != splitOf.end()) p.split = s->second;
    const auto t = tripletOf.find(p.id);
    if (t != tripletOf.end()) p.triplet = t->second;
    data->points.push_back(std::move(p));
  }
  data->attributeKeys.assign(keys.begin(), keys.end());

  // Align on the products both maps show.
  if (!request_.alignIds.empty() && request_.alignXy.size() == 2 * request_.alignIds.size()) {
    std::unordered_map<std::string, std::size_t> refRow;
    for (std::size_t i = 0; i < request_.alignIds.size(); ++i) refRow.emplace(request_.alignIds[i], i);
    std::vector<float> mine, theirs;
    for (std::size_t r = 0; r < data->map.ids.size(); ++r) {
      const auto it = refRow.find(data->map.ids[r]);
      if (it == refRow.end()) continue;
      mine.insert(mine.end(), {data->map.xy[2 * r], data->map.xy[2 * r + 1]});
      theirs.insert(theirs.end(), {request_.alignXy[2 * it->second], request_.alignXy[2 * it->second + 1]});
    }
    if (mine.size() >= 6) {  // three points fix a similarity transform
      data->map.xy = fitProcrustes(mine, theirs).apply(data->map.xy);
      data->alignedOn = mine.size() / 2;
    }
  }
  data->seconds = double(timer.elapsed()) / 1000.0;
  data_ = std::move(data);
  setProgress(100);
  return true;
}

}  // namespace moon
