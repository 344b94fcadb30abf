#include "training/eval/QueryMargins.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/Error.h"
#include "model/inference/InferenceContext.h"
#include "training/eval/CheckpointLoaderConfig.h"
#include "training/eval/GalleryEmbedder.h"

namespace moon {
namespace {

double quantile(const std::vector<double>& sorted, double q) {
  const double at = q * double(sorted.size() - 1);
  const std::size_t lo = std::size_t(std::floor(at));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - double(lo));
}

}  // namespace

std::vector<double> queryMargins(const LoadedCheckpoint& checkpoint, const Dataset& dataset,
                                 const QueryMarginOptions& o) {
  const auto names = dataset.splitNames();
  if (std::find(names.begin(), names.end(), o.split) == names.end())
    throw ConfigError(dataset.dir() + ": no split '" + o.split + "' to measure margins on");
  std::vector<Triplet> picked;
  for (const Triplet& t : dataset.split(o.split))
    if (t.query.modality == Modality::Multimodal && (o.maxQueries == 0 || picked.size() < o.maxQueries))
      picked.push_back(t);
  if (picked.empty()) return {};

  const GalleryEmbedder embedder(loaderConfigFor(checkpoint), dataset.dir(), checkpoint.requireTokenizer());
  MoonModelImpl& model = *checkpoint.context->model();
  const std::vector<Product> products = productsOf(picked, dataset.products());
  const double queryShare = 0.6;  // greedy traces make the queries the slower half
  EmbedOptions q;
  q.traces = TraceMode::Greedy;
  q.cancel = o.cancel;
  q.progress = [&](std::size_t done, std::size_t total) {
    if (o.progress) o.progress(queryShare * double(done) / double(std::max<std::size_t>(total, 1)));
  };
  const EmbeddedItems queries = embedder.embed(model, queryItems(picked), q);
  EmbedOptions g;
  g.cancel = o.cancel;
  g.progress = [&](std::size_t done, std::size_t total) {
    if (o.progress) o.progress(queryShare + (1 - queryShare) * double(done) / double(std::max<std::size_t>(total, 1)));
  };
  const EmbeddedItems gallery = embedder.embed(model, products, g);

  std::vector<double> margins;
  for (std::size_t r = 0; r < queries.ids.size(); ++r) {
    const Triplet& t = picked[queries.itemIndex[r]];
    const std::int64_t p = gallery.rowOf(t.positiveId), n = gallery.rowOf(t.negativeId);
    if (p < 0 || n < 0) continue;
    const std::size_t dim = queries.embeddings.dim;
    margins.push_back(double(dotProduct(queries.embeddings.row(r), gallery.embeddings.row(std::size_t(p)), dim)) -
                      double(dotProduct(queries.embeddings.row(r), gallery.embeddings.row(std::size_t(n)), dim)));
  }
  return margins;
}

BoxSummary boxSummary(std::vector<double> values) {
  BoxSummary b;
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  if (values.empty()) return b;
  std::sort(values.begin(), values.end());
  b.count = values.size();
  b.mean = std::accumulate(values.begin(), values.end(), 0.0) / double(values.size());
  b.lowerQuartile = quantile(values, 0.25);
  b.median = quantile(values, 0.5);
  b.upperQuartile = quantile(values, 0.75);
  const double iqr = b.upperQuartile - b.lowerQuartile;
  const double lowFence = b.lowerQuartile - 1.5 * iqr, highFence = b.upperQuartile + 1.5 * iqr;
  b.lowerWhisker = b.lowerQuartile;
  b.upperWhisker = b.upperQuartile;
  std::size_t below = 0;
  for (double v : values) {
    if (v < 0) ++below;
    if (v < lowFence || v > highFence) {
      b.outliers.push_back(v);
      continue;
    }
    b.lowerWhisker = std::min(b.lowerWhisker, v);
    b.upperWhisker = std::max(b.upperWhisker, v);
  }
  b.shareBelowZero = double(below) / double(values.size());
  return b;
}

}  // namespace moon
