#include "training/eval/Evaluator.h"

#include <chrono>
#include <unordered_map>

#include "core/base/Error.h"
#include "core/data/TraceFormat.h"
#include "training/eval/GalleryIndex.h"

namespace moon {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::unordered_map<std::string, std::int64_t> rowsById(const EmbeddedItems& e) {
  std::unordered_map<std::string, std::int64_t> rows;
  for (std::size_t r = 0; r < e.ids.size(); ++r) rows.emplace(e.ids[r], static_cast<std::int64_t>(r));
  return rows;
}

std::int64_t lookup(const std::unordered_map<std::string, std::int64_t>& rows, const std::string& id) {
  const auto it = rows.find(id);
  return it == rows.end() ? -1 : it->second;
}

std::vector<std::size_t> firstRows(std::size_t rows, std::size_t limit) {
  std::vector<std::size_t> out;
  for (std::size_t r = 0; r < rows && (limit == 0 || r < limit); ++r) out.push_back(r);
  return out;
}

}  // namespace

nlohmann::json EvaluationOutcome::toJson() const {
  nlohmann::json j = result.toJson();
  j["split"] = split;
  j["gallery_items"] = galleryItems;
  j["queries"] = queries;
  j["query_traces"] = traceModeName(queryTraces);
  j["gallery_traces"] = traceModeName(galleryTraces);
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& [name, s] : timing.stages) stages[name] = s;
  j["timing"] = {{"total_s", timing.totalSeconds}, {"stages", stages}};
  return j;
}

Evaluator::Evaluator(const Dataset& dataset, BpeTokenizer tokenizer, const LoaderConfig& loader)
    : dataset_(dataset), embedder_(loader, dataset.dir(), std::move(tokenizer)) {}

EvaluationOutcome Evaluator::evaluate(MoonModelImpl& model, const EvaluatorOptions& o) const {
  const auto start = Clock::now();
  const std::vector<Triplet>& triplets = dataset_.split(o.split);
  if (triplets.empty()) {
    std::string known;
    for (const auto& s : dataset_.splitNames()) known += (known.empty() ? "" : ", ") + s;
    throw ConfigError("split '" + o.split + "': no triplets of that split in " + dataset_.dir() +
                      " (splits read: " + (known.empty() ? "none" : known) + ")");
  }
  EvaluationOutcome out;
  out.split = o.split;
  const bool reasoning = model.config().reasoning;
  out.queryTraces = reasoning ? o.queryTraces : TraceMode::None;
  out.galleryTraces = reasoning ? o.galleryTraces : TraceMode::None;

  auto embed = [&](const std::string& stage, const std::vector<Product>& items, Modality m, TraceMode traces) {
    const auto t0 = Clock::now();
    EmbedOptions e;
    e.modality = m;
    e.traces = traces;
    e.cancel = o.cancel;
    if (o.progress) e.progress = [&](std::size_t done, std::size_t total) { o.progress(stage, done, total); };
    EmbeddedItems r = embedder_.embed(model, items, e);
    out.timing.stages.emplace_back(stage, secondsSince(t0));
    return r;
  };

  // Gallery: the products the split's triplets name, multimodal.
  const std::vector<Product> galleryProducts = productsOf(triplets, dataset_.products());
  const EmbeddedItems gallery = embed("gallery mm", galleryProducts, Modality::Multimodal, out.galleryTraces);
  if (gallery.embeddings.rows == 0)
    throw FormatError(dataset_.dir() + ": no product of split '" + o.split + "' could be embedded");
  const GalleryIndex galleryIndex(gallery.embeddings);
  const auto galleryRows = rowsById(gallery);
  out.galleryItems = gallery.embeddings.rows;

  // Triplet queries, one embedding pass per query modality.
  std::vector<RetrievalReport> byName;
  EmbeddingMatrix ndQueries(0, gallery.embeddings.dim);
  std::vector<std::int64_t> ndPositives, ndNegatives;
  std::vector<Attributes> predicted, labelled;
  bool tracesGenerated = false;
  for (auto [modality, name] : {std::pair{Modality::Text, "t->mm"}, std::pair{Modality::Image, "i->mm"},
                                std::pair{Modality::Multimodal, "mm->mm"}}) {
    std::vector<Triplet> picked;
    for (const auto& t : triplets)
      if (t.query.modality == modality && (o.maxQueries == 0 || picked.size() < o.maxQueries)) picked.push_back(t);
    if (picked.empty()) continue;
    out.queries += picked.size();
    const EmbeddedItems q =
        embed(std::string("queries ") + modalityName(modality), queryItems(picked), modality, out.queryTraces);
    std::vector<std::int64_t> positives;
    for (std::size_t r = 0; r < q.ids.size(); ++r) {
      const Triplet& t = picked[q.itemIndex[r]];
      positives.push_back(lookup(galleryRows, t.positiveId));
      ndPositives.push_back(positives.back());
      ndNegatives.push_back(lookup(galleryRows, t.negativeId));
      if (q.traceMode == TraceMode::Greedy) {
        predicted.push_back(parseTrace(q.traces[r]).attributes);
        labelled.push_back(t.query.attributes);
      }
    }
    tracesGenerated = tracesGenerated || q.traceMode == TraceMode::Greedy;
    ndQueries.data.insert(ndQueries.data.end(), q.embeddings.data.begin(), q.embeddings.data.end());
    ndQueries.rows += q.embeddings.rows;
    // A query that could not be embedded (its image unreadable) is a miss, like a missing positive.
    std::vector<std::size_t> ranks = positiveRanks(q.embeddings, galleryIndex, positives);
    ranks.insert(ranks.end(), q.skipped, 0);
    byName.push_back(retrievalReportFromRanks(name, ranks, galleryIndex.size()));
  }

  // Intra-product t->i and i->t over the gallery products.
  const EmbeddedItems titles = embed("gallery text", galleryProducts, Modality::Text, out.galleryTraces);
  const EmbeddedItems images = embed("gallery image", galleryProducts, Modality::Image, out.galleryTraces);
  auto crossModal = [&](const std::string& name, const EmbeddedItems& queryGallery, Modality queryModality,
                        const EmbeddedItems& target) {
    EmbeddingMatrix queries;
    std::vector<std::string> ids;
    if (out.queryTraces == out.galleryTraces) {
      const auto rows = firstRows(queryGallery.embeddings.rows, o.maxQueries);
      queries = gatherRows(queryGallery.embeddings, rows);
      for (std::size_t r : rows) ids.push_back(queryGallery.ids[r]);
    } else {
      std::vector<Product> items;
      for (std::size_t i = 0; i < galleryProducts.size() && (o.maxQueries == 0 || items.size() < o.maxQueries); ++i)
        items.push_back(galleryProducts[i]);
      EmbeddedItems q = embed("products " + std::string(modalityName(queryModality)) + " (queries)", items,
                              queryModality, out.queryTraces);
      queries = std::move(q.embeddings);
      ids = std::move(q.ids);
    }
    if (target.embeddings.rows == 0 || queries.rows == 0) return;
    const GalleryIndex index(target.embeddings);
    const auto rows = rowsById(target);
    std::vector<std::int64_t> positives;
    for (const auto& id : ids) positives.push_back(lookup(rows, id));
    byName.push_back(retrievalReportFromRanks(name, positiveRanks(queries, index, positives), index.size()));
  };
  crossModal("t->i", titles, Modality::Text, images);
  crossModal("i->t", images, Modality::Image, titles);
  for (const char* name : kRetrievalDirections)
    for (const auto& r : byName)
      if (r.name == name) out.result.retrieval.push_back(r);

  if (ndQueries.rows > 0)
    out.result.nearDuplicate = nearDuplicateDiscrimination(ndQueries, gallery.embeddings, ndPositives, ndNegatives);

  // Prototypes from the train split's products.
  const std::vector<Product> trainProducts = productsOf(dataset_.split("train"), dataset_.products());
  if (o.classification && !trainProducts.empty()) {
    const EmbeddedItems fit = embed("prototypes (train mm)", trainProducts, Modality::Multimodal, out.galleryTraces);
    auto labels = [](const std::vector<Product>& products, const EmbeddedItems& e, bool fine) {
      std::vector<std::string> names;
      for (std::size_t idx : e.itemIndex) {
        const Product& p = products[idx];
        names.push_back(p.categoryPath.empty() ? std::string() : fine ? p.fineCategory() : p.coarseCategory());
      }
      return names;
    };
    for (bool fine : {false, true}) {
      auto report =
          evaluatePrototypeClassification(fine ? "fine" : "coarse", fit.embeddings, labels(trainProducts, fit, fine),
                                          gallery.embeddings, labels(galleryProducts, gallery, fine));
      (fine ? out.result.fineCategory : out.result.coarseCategory) = std::move(report);
    }
  }

  if (tracesGenerated) out.result.attributes = attributeAccuracy(predicted, labelled);
  out.timing.totalSeconds = secondsSince(start);
  return out;
}

}  // namespace moon
