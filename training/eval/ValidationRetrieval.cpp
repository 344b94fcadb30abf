#include "training/eval/ValidationRetrieval.h"

#include <algorithm>

#include "core/base/Error.h"
#include "core/data/TraceFormat.h"
#include "training/eval/AttributeAccuracy.h"
#include "training/eval/GalleryEmbedder.h"
#include "training/eval/GalleryIndex.h"
#include "training/eval/NearDuplicate.h"
#include "training/eval/RetrievalMetrics.h"
#include "training/eval/TraceReport.h"

namespace moon {
namespace {

void addReport(std::map<std::string, double>& out, const std::string& prefix, const RetrievalReport& r) {
  out[prefix + "/R@1"] = r.recallAt1;
  out[prefix + "/R@10"] = r.recallAt10;
  out[prefix + "/MRR"] = r.mrr;
}

// Ranks of the positives (0 = missing) for the embedded queries, the queries
// that could not be embedded counted as misses.
std::vector<std::size_t> ranksOf(const EmbeddedItems& queries, const EmbeddingMatrix& queryRows,
                                 const std::vector<std::string>& positiveIds, const EmbeddedItems& gallery,
                                 const EmbeddingMatrix& galleryRows) {
  std::vector<std::int64_t> positives;
  for (std::size_t r = 0; r < queries.ids.size(); ++r)
    positives.push_back(gallery.rowOf(positiveIds[queries.itemIndex[r]]));
  std::vector<std::size_t> ranks = positiveRanks(queryRows, GalleryIndex(galleryRows), positives);
  ranks.insert(ranks.end(), queries.skipped, 0);
  return ranks;
}

// Cosines of each embedded query to its positive, its near-duplicate and every
// other gallery product (rows are L2-normalised, so a dot product is a cosine).
std::map<std::string, CosineHistogram> cosineHistogramsOf(const EmbeddedItems& queries,
                                                          const std::vector<std::string>& positiveIds,
                                                          const std::vector<std::string>& negativeIds,
                                                          const EmbeddedItems& gallery) {
  std::vector<float> positive, nearDuplicate, other;
  const EmbeddingMatrix& g = gallery.embeddings;
  for (std::size_t r = 0; r < queries.ids.size(); ++r) {
    const std::int64_t p = gallery.rowOf(positiveIds[queries.itemIndex[r]]);
    const std::int64_t n = gallery.rowOf(negativeIds[queries.itemIndex[r]]);
    for (std::size_t c = 0; c < g.rows; ++c) {
      const float cos = dotProduct(queries.embeddings.row(r), g.row(c), g.dim);
      const auto row = static_cast<std::int64_t>(c);
      (row == p ? positive : row == n ? nearDuplicate : other).push_back(cos);
    }
  }
  if (positive.empty()) return {};
  return {{"positive", CosineHistogram::of(positive)},
          {"near_duplicate", CosineHistogram::of(nearDuplicate)},
          {"other", CosineHistogram::of(other)}};
}

}  // namespace

void ValidationRetrieval::addNearDuplicate(std::map<std::string, double>& out, const EmbeddedItems& queries,
                                           const Direction& dir, const EmbeddedItems& gallery) {
  std::vector<std::int64_t> positives, negatives;
  for (std::size_t r = 0; r < queries.ids.size(); ++r) {
    positives.push_back(gallery.rowOf(dir.positiveIds[queries.itemIndex[r]]));
    negatives.push_back(gallery.rowOf(dir.negativeIds[queries.itemIndex[r]]));
  }
  const NearDuplicateReport nd =
      nearDuplicateDiscrimination(queries.embeddings, gallery.embeddings, positives, negatives);
  if (nd.triplets == 0) return;
  out["val/near_dup/acc"] = nd.accuracy;
  out["val/near_dup/margin"] = nd.meanMargin;
}

ValidationRetrieval::ValidationRetrieval(const Dataset& dataset, const LoaderConfig& loader, const EvalConfig& eval,
                                         const BpeTokenizer& tokenizer)
    : eval_(eval) {
  const auto& val = dataset.split("val");
  gallery_ = productsOf(val, dataset.products());
  LoaderConfig l = loader;
  l.batch_size = eval.batch_size;
  l.workers = 0;
  embedder_ = std::make_unique<GalleryEmbedder>(l, dataset.dir(), tokenizer);
  for (auto [modality, name] : {std::pair{Modality::Multimodal, "mm->mm"}, std::pair{Modality::Text, "t->mm"}}) {
    std::vector<Triplet> picked;
    Direction d{name, modality, {}, {}, {}, {}};
    for (const auto& t : val)
      if (t.query.modality == modality && dataset.findProduct(t.positiveId) &&
          picked.size() < static_cast<size_t>(eval.max_queries)) {
        picked.push_back(t);
        d.positiveIds.push_back(t.positiveId);
        d.negativeIds.push_back(t.negativeId);
        d.labels.push_back(t.query.attributes);
      }
    if (picked.empty()) continue;
    d.queries = queryItems(picked);
    directions_.push_back(std::move(d));
  }
  if (directions_.empty()) throw ConfigError(dataset.dir() + "/val.jsonl: no mm or text query to validate with");
}

ValidationRetrieval::~ValidationRetrieval() = default;

std::map<std::string, double> ValidationRetrieval::evaluate(MoonModelImpl& model) {
  // Candidates without traces (LREM).
  lastGallery_ = std::make_unique<EmbeddedItems>(embedder_->embed(model, gallery_, EmbedOptions{}));
  const EmbeddedItems& g = *lastGallery_;
  cosines_.clear();
  EmbedOptions queryOptions;
  queryOptions.traces = parseTraceMode(eval_.query_traces, "config key 'eval.query_traces'");

  std::map<std::string, double> out;
  double headline = 0;
  std::vector<Attributes> predicted, labelled;
  std::vector<std::string> traceTexts;
  std::vector<bool> traceClosed;
  for (const auto& dir : directions_) {
    queryOptions.modality = dir.modality;
    const EmbeddedItems q = embedder_->embed(model, dir.queries, queryOptions);
    const auto ranks = ranksOf(q, q.embeddings, dir.positiveIds, g, g.embeddings);
    const RetrievalReport report = retrievalReportFromRanks(dir.name, ranks, g.embeddings.rows);
    addReport(out, "val/" + dir.name, report);
    headline += report.recallAt10;
    for (std::size_t r = 0; r < q.traces.size(); ++r) {
      traceTexts.push_back(q.traces[r]);
      traceClosed.push_back(q.tracesClosed[r]);
      predicted.push_back(parseTrace(q.traces[r]).attributes);
      labelled.push_back(dir.labels[q.itemIndex[r]]);
    }
    if (dir.modality == Modality::Multimodal) {
      addNearDuplicate(out, q, dir, g);
      cosines_ = cosineHistogramsOf(q, dir.positiveIds, dir.negativeIds, g);
    }
    if (g.discEmbeddings.rows > 0 && q.discEmbeddings.rows > 0)
      addReport(out, "val/disc/" + dir.name,
                retrievalReportFromRanks(dir.name, ranksOf(q, q.discEmbeddings, dir.positiveIds, g, g.discEmbeddings),
                                         g.discEmbeddings.rows));
  }
  out[kHeadlineMetric] = headline / static_cast<double>(directions_.size());
  if (!traceTexts.empty()) {
    const TraceReport traces = traceReport(traceTexts, traceClosed);
    out["val/traces/closed"] = traces.closedShare;
    out["val/traces/parsable"] = traces.parsableShare;
    const AttributeReport attributes = attributeAccuracy(predicted, labelled);
    if (attributes.labelled > 0) out["val/attr/acc"] = attributes.microAccuracy;
    for (const auto& key : attributes.perKey)
      if (key.key == "color" && key.labelled > 0) out["val/attr/color"] = key.accuracy;
  }
  return out;
}

std::vector<SampledQueryTraces> ValidationRetrieval::sampleQueryTraces(MoonModelImpl& model, int queries, int perQuery,
                                                                       const SamplingOptions& sampling,
                                                                       int maxTokens) const {
  std::vector<SampledQueryTraces> out;
  if (!lastGallery_ || !model.config().reasoning || queries <= 0 || perQuery <= 0) return out;
  const auto mm = std::find_if(directions_.begin(), directions_.end(),
                               [](const Direction& d) { return d.modality == Modality::Multimodal; });
  if (mm == directions_.end()) return out;
  // Each chosen query `perQuery` times in a row: one batch row per sample.
  std::vector<Product> items;
  const std::size_t chosen = std::min<std::size_t>(static_cast<std::size_t>(queries), mm->queries.size());
  for (std::size_t i = 0; i < chosen; ++i)
    for (int k = 0; k < perQuery; ++k) items.push_back(mm->queries[i]);
  EmbedOptions o;
  o.modality = Modality::Multimodal;
  o.traces = TraceMode::Sampled;
  o.sampling = sampling;
  o.maxTraceTokens = maxTokens;
  const EmbeddedItems q = embedder_->embed(model, items, o);
  std::vector<std::int64_t> positives;
  for (std::size_t r = 0; r < q.ids.size(); ++r)
    positives.push_back(lastGallery_->rowOf(mm->positiveIds[q.itemIndex[r] / static_cast<std::size_t>(perQuery)]));
  const auto ranks = positiveRanks(q.embeddings, GalleryIndex(lastGallery_->embeddings), positives);
  for (std::size_t r = 0; r < q.ids.size(); ++r) {
    const std::size_t query = q.itemIndex[r] / static_cast<std::size_t>(perQuery);
    if (out.empty() || out.back().triplet != query) {
      SampledQueryTraces s;
      s.triplet = query;
      s.query = mm->queries[query];
      s.positive = mm->positiveIds[query];
      out.push_back(std::move(s));
    }
    SampledQueryTraces& s = out.back();
    s.traces.push_back(q.traces[r]);
    s.closed.push_back(q.tracesClosed[r]);
    s.tokens.push_back(q.traceTokens[r]);
    s.ranks.push_back(static_cast<int>(ranks[r]));
  }
  return out;
}

}  // namespace moon
