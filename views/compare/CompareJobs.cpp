#include "views/compare/CompareJobs.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/base/Error.h"
#include "training/eval/EmbeddingMap.h"

namespace moon {

LoadCheckpointJob::LoadCheckpointJob(QString path, QString fallbackDatasetDir)
    : Job(tr("Loading checkpoint %1").arg(path)), path_(std::move(path)), fallback_(std::move(fallbackDatasetDir)) {}

bool LoadCheckpointJob::run() {
  CheckpointLoadOptions options;
  options.fallbackDatasetDir = fallback_.toStdString();
  checkpoint_ = loadCheckpoint(path_.toStdString(), options);
  setProgress(100);
  return true;
}

ComparisonJob::ComparisonJob(std::shared_ptr<InferenceContext> context, std::array<CompareInput, kCompareSlots> inputs,
                             CompareOptions options, QString checkpoint)
    : Job(tr("Comparing products")),
      context_(std::move(context)),
      inputs_(std::move(inputs)),
      options_(options),
      checkpoint_(std::move(checkpoint)) {}

bool ComparisonJob::run() {
  result_ = runComparison(*context_, inputs_, options_, [this](double fraction) {
    setProgress(100.0 * fraction);
    return !isCanceled();
  });
  if (!result_) return false;
  result_->checkpoint = checkpoint_.toStdString();
  return true;
}

AttributionJob::AttributionJob(std::shared_ptr<InferenceContext> context, CompareInput query,
                               std::array<CompareInput, 2> candidates)
    : Job(tr("Attributing the similarities")),
      context_(std::move(context)),
      query_(std::move(query)),
      candidates_(std::move(candidates)) {}

bool AttributionJob::run() {
  if (query_.empty()) throw Error("the query slot is empty: nothing to attribute");
  for (std::size_t i = 0; i < candidates_.size(); ++i) {
    if (isCanceled()) return false;
    if (!candidates_[i].empty()) attributions_[i] = attributeSimilarity(*context_, query_, candidates_[i]);
    setProgress(100.0 * double(i + 1) / double(candidates_.size()));
  }
  return true;
}

CounterfactualJob::CounterfactualJob(CounterfactualRequest request)
    : Job(tr("Re-embedding the query after an edited trace")), request_(std::move(request)) {}

namespace {

float dot(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.empty() || a.size() != b.size()) return NAN;
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a[i]) * double(b[i]);
  return float(s);
}

// Row indices of the k rows of `m` nearest to `v` by inner product.
std::vector<std::size_t> topRows(const EmbeddingMatrix& m, const std::vector<float>& v, std::size_t k) {
  std::vector<std::pair<float, std::size_t>> scored;
  for (std::size_t r = 0; r < m.rows && v.size() == m.dim; ++r)
    scored.emplace_back(dotProduct(m.row(r), v.data(), m.dim), r);
  const std::size_t n = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + std::ptrdiff_t(n), scored.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace

bool CounterfactualJob::run() {
  const std::vector<float> edited = embedAfterTrace(*request_.context, request_.query, request_.trace.toStdString());
  result_.trace = request_.trace;
  for (std::size_t i = 0; i < 2; ++i) {
    result_.before[i] = dot(request_.queryEmbedding, request_.candidates[i]);
    result_.after[i] = dot(edited, request_.candidates[i]);
  }
  setProgress(10);
  if (request_.datasetDir.isEmpty() || request_.checkpoint.isEmpty()) {
    result_.galleryNote = tr("No dataset loaded: the catalogue's neighbours were not searched.");
    return true;
  }
  // The catalogue embedded after each product's own greedy trace, as the
  // comparison embeds its candidates; cached with the checkpoint.
  EmbeddingMapOptions o;
  o.split = "all";
  o.embedding = MapEmbedding::Reasoned;
  o.dataDir = request_.datasetDir.toStdString();
  o.cancel = cancelFlag();
  o.progress = [this](const std::string&, double f) { setProgress(10 + 85 * f); };
  const EmbeddingMap map = computeEmbeddingMap(request_.checkpoint.toStdString(), o);
  const auto before = topRows(map.embeddings, request_.queryEmbedding, 10);
  const auto after = topRows(map.embeddings, edited, 10);
  const std::set<std::size_t> beforeSet(before.begin(), before.end()), afterSet(after.begin(), after.end());
  const auto label = [&](std::size_t r) { return QString::fromStdString(map.ids[r]); };
  for (std::size_t r : after)
    if (!beforeSet.count(r)) result_.entered << label(r);
  for (std::size_t r : before)
    if (!afterSet.count(r)) result_.left << label(r);
  result_.galleryNote =
      tr("Top 10 among the catalogue's %1 products (each embedded after its own trace).").arg(map.ids.size());
  setProgress(100);
  return true;
}

}  // namespace moon
