#include "training/eval/Evaluator.h"

#include <chrono>
#include <cmath>
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

// A gallery searched with both embeddings of the model (<disc_emb> may be absent).
struct SearchedGallery {
  GalleryIndex emb;
  std::optional<GalleryIndex> disc;
  std::unordered_map<std::string, std::int64_t> rows;
  explicit SearchedGallery(const EmbeddedItems& e) : emb(e.embeddings), rows(rowsById(e)) {
    if (e.discEmbeddings.rows > 0) disc.emplace(e.discEmbeddings);
  }
};

void appendRows(EmbeddingMatrix& to, const EmbeddingMatrix& from) {
  to.dim = from.dim;
  to.data.insert(to.data.end(), from.data.begin(), from.data.end());
  to.rows += from.rows;
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
  return evaluate(
      [&](const std::vector<Product>& items, const EmbedOptions& e) { return embedder_.embed(model, items, e); },
      model.config().reasoning, o);
}

EvaluationOutcome Evaluator::evaluate(const ItemEmbedder& embedder, bool reasoning, const EvaluatorOptions& o) const {
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
  out.queryTraces = reasoning ? o.queryTraces : TraceMode::None;
  out.galleryTraces = reasoning ? o.galleryTraces : TraceMode::None;
  EvaluationResult& result = out.result;

  auto embed = [&](const std::string& stage, const std::vector<Product>& items, Modality m, TraceMode traces) {
    const auto t0 = Clock::now();
    EmbedOptions e;
    e.modality = m;
    e.traces = traces;
    e.cancel = o.cancel;
    if (o.progress) e.progress = [&](std::size_t done, std::size_t total) { o.progress(stage, done, total); };
    EmbeddedItems r = embedder(items, e);
    out.timing.stages.emplace_back(stage, secondsSince(t0));
    return r;
  };

  // Gallery: the products the split's triplets name, multimodal.
  const std::vector<Product> galleryProducts = productsOf(triplets, dataset_.products());
  const EmbeddedItems galleryItems = embed("gallery mm", galleryProducts, Modality::Multimodal, out.galleryTraces);
  if (galleryItems.embeddings.rows == 0)
    throw FormatError(dataset_.dir() + ": no product of split '" + o.split + "' could be embedded");
  const SearchedGallery gallery(galleryItems);
  out.galleryItems = galleryItems.embeddings.rows;

  // Triplet queries, one embedding pass per query modality.
  std::vector<RetrievalReport> reports, discReports;
  EmbeddingMatrix ndQueries(0, galleryItems.embeddings.dim), ndDisc(0, galleryItems.embeddings.dim);
  std::vector<std::int64_t> ndPositives, ndNegatives;
  std::vector<Attributes> predicted, labelled;
  std::vector<std::string> traceTexts;
  std::vector<bool> traceClosed;
  for (auto [modality, name] : {std::pair{Modality::Text, "t->mm"}, std::pair{Modality::Image, "i->mm"},
                                std::pair{Modality::Multimodal, "mm->mm"}}) {
    std::vector<Triplet> picked;
    std::vector<std::size_t> pickedIndex;
    for (std::size_t i = 0; i < triplets.size(); ++i)
      if (triplets[i].query.modality == modality && (o.maxQueries == 0 || picked.size() < o.maxQueries)) {
        picked.push_back(triplets[i]);
        pickedIndex.push_back(i);
      }
    if (picked.empty()) continue;
    out.queries += picked.size();
    const EmbeddedItems q =
        embed(std::string("queries ") + modalityName(modality), queryItems(picked), modality, out.queryTraces);
    std::vector<std::int64_t> positives, negatives;
    const std::size_t first = result.perQuery.size();
    for (std::size_t r = 0; r < q.ids.size(); ++r) {
      const Triplet& t = picked[q.itemIndex[r]];
      positives.push_back(lookup(gallery.rows, t.positiveId));
      negatives.push_back(lookup(gallery.rows, t.negativeId));
      QueryResult qr;
      qr.direction = name;
      qr.index = pickedIndex[q.itemIndex[r]];
      qr.positive = t.positiveId;
      qr.negative = t.negativeId;
      if (q.traceMode == TraceMode::Greedy) {
        qr.trace = q.traces[r];
        predicted.push_back(parseTrace(q.traces[r]).attributes);
        labelled.push_back(t.query.attributes);
        traceTexts.push_back(q.traces[r]);
        traceClosed.push_back(q.tracesClosed[r]);
      }
      result.perQuery.push_back(std::move(qr));
    }
    ndPositives.insert(ndPositives.end(), positives.begin(), positives.end());
    ndNegatives.insert(ndNegatives.end(), negatives.begin(), negatives.end());
    appendRows(ndQueries, q.embeddings);
    // A query that could not be embedded (its image unreadable) is a miss, like a missing positive.
    std::vector<std::size_t> ranks = positiveRanks(q.embeddings, gallery.emb, positives);
    for (std::size_t r = 0; r < ranks.size(); ++r) result.perQuery[first + r].rank = ranks[r];
    ranks.insert(ranks.end(), q.skipped, 0);
    reports.push_back(retrievalReportFromRanks(name, ranks, gallery.emb.size()));
    if (gallery.disc && q.discEmbeddings.rows > 0) {
      appendRows(ndDisc, q.discEmbeddings);
      std::vector<std::size_t> disc = positiveRanks(q.discEmbeddings, *gallery.disc, positives);
      for (std::size_t r = 0; r < disc.size(); ++r) result.perQuery[first + r].discRank = disc[r];
      disc.insert(disc.end(), q.skipped, 0);
      discReports.push_back(retrievalReportFromRanks(name, disc, gallery.disc->size()));
    }
  }

  // Intra-product t->i and i->t over the gallery products.
  const EmbeddedItems titles = embed("gallery text", galleryProducts, Modality::Text, out.galleryTraces);
  const EmbeddedItems images = embed("gallery image", galleryProducts, Modality::Image, out.galleryTraces);
  auto crossModal = [&](const std::string& name, const EmbeddedItems& queryGallery, Modality queryModality,
                        const EmbeddedItems& target) {
    EmbeddedItems asked;
    if (out.queryTraces == out.galleryTraces) {
      const auto rows = firstRows(queryGallery.embeddings.rows, o.maxQueries);
      asked.embeddings = gatherRows(queryGallery.embeddings, rows);
      if (queryGallery.discEmbeddings.rows > 0) asked.discEmbeddings = gatherRows(queryGallery.discEmbeddings, rows);
      for (std::size_t r : rows) {
        asked.ids.push_back(queryGallery.ids[r]);
        asked.itemIndex.push_back(queryGallery.itemIndex[r]);
      }
    } else {
      std::vector<Product> items;
      for (std::size_t i = 0; i < galleryProducts.size() && (o.maxQueries == 0 || items.size() < o.maxQueries); ++i)
        items.push_back(galleryProducts[i]);
      asked = embed("products " + std::string(modalityName(queryModality)) + " (queries)", items, queryModality,
                    out.queryTraces);
    }
    if (target.embeddings.rows == 0 || asked.embeddings.rows == 0) return;
    const SearchedGallery searched(target);
    std::vector<std::int64_t> positives;
    for (const auto& id : asked.ids) positives.push_back(lookup(searched.rows, id));
    const auto ranks = positiveRanks(asked.embeddings, searched.emb, positives);
    reports.push_back(retrievalReportFromRanks(name, ranks, searched.emb.size()));
    std::vector<std::size_t> disc;
    if (searched.disc && asked.discEmbeddings.rows > 0) {
      disc = positiveRanks(asked.discEmbeddings, *searched.disc, positives);
      discReports.push_back(retrievalReportFromRanks(name, disc, searched.disc->size()));
    }
    for (std::size_t r = 0; r < ranks.size(); ++r) {
      QueryResult qr;
      qr.direction = name;
      qr.index = asked.itemIndex[r];
      qr.positive = asked.ids[r];
      qr.rank = ranks[r];
      qr.discRank = disc.empty() ? 0 : disc[r];
      result.perQuery.push_back(std::move(qr));
    }
  };
  crossModal("t->i", titles, Modality::Text, images);
  crossModal("i->t", images, Modality::Image, titles);
  for (const char* name : kRetrievalDirections) {
    for (const auto& r : reports)
      if (r.name == name) result.retrieval.push_back(r);
    for (const auto& r : discReports)
      if (r.name == name) result.discRetrieval.push_back(r);
  }

  if (ndQueries.rows > 0) {
    result.nearDuplicate = nearDuplicateDiscrimination(ndQueries, galleryItems.embeddings, ndPositives, ndNegatives);
    // Its rows are the triplet queries' results, in the same order (t->mm, i->mm, mm->mm come first).
    for (std::size_t r = 0; r < result.nearDuplicate->margins.size(); ++r)
      if (std::isfinite(result.nearDuplicate->margins[r])) result.perQuery[r].margin = result.nearDuplicate->margins[r];
  }
  if (ndDisc.rows == ndQueries.rows && ndDisc.rows > 0)
    result.discNearDuplicate =
        nearDuplicateDiscrimination(ndDisc, galleryItems.discEmbeddings, ndPositives, ndNegatives);

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
                                          galleryItems.embeddings, labels(galleryProducts, galleryItems, fine));
      (fine ? result.fineCategory : result.coarseCategory) = std::move(report);
    }
  }

  if (!traceTexts.empty()) {
    result.attributes = attributeAccuracy(predicted, labelled);
    result.traces = traceReport(traceTexts, traceClosed);
  }
  out.timing.totalSeconds = secondsSince(start);
  return out;
}

}  // namespace moon
