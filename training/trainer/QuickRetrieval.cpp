#include "training/trainer/QuickRetrieval.h"

#include <set>

#include "core/base/Error.h"
#include "model/generation/TraceGenerator.h"
#include "training/data/TripletLoader.h"
#include "training/eval/GalleryEmbedder.h"
#include "training/trainer/StageOneLoss.h"

namespace moon {
namespace {

LoaderConfig evalLoaderConfig(const TrainConfig& cfg) {
  LoaderConfig l = cfg.loader;
  l.batchSize = cfg.eval.batch_size;
  l.shuffle = false;
  l.augment = false;
  l.workers = 0;
  l.prefetch = 1;
  l.dropLast = false;
  return l;
}

void addRecall(std::map<std::string, double>& out, const std::string& prefix, const torch::Tensor& ranks) {
  const auto r = ranks.to(torch::kDouble);
  out[prefix + "/R@1"] = (r <= 1).to(torch::kDouble).mean().item<double>();
  out[prefix + "/R@10"] = (r <= 10).to(torch::kDouble).mean().item<double>();
  out[prefix + "/MRR"] = r.reciprocal().mean().item<double>();
}

}  // namespace

torch::Tensor positiveRanksExact(const torch::Tensor& queries, const torch::Tensor& gallery,
                                 const torch::Tensor& positives) {
  const auto scores = torch::matmul(queries, gallery.t());     // [Q,N]
  const auto pos = scores.gather(1, positives.view({-1, 1}));  // [Q,1]
  return 1 + (scores > pos).sum(1);
}

QuickRetrieval::QuickRetrieval(const Dataset& dataset, const TrainConfig& cfg, const BpeTokenizer& tokenizer)
    : cfg_(cfg), vocabLimit_(tokenizer.vocabSize()) {
  const auto& val = dataset.split("val");
  for (const auto& t : val)
    for (const auto* id : {&t.positiveId, &t.negativeId})
      if (!galleryIndex_.count(*id))
        if (const Product* p = dataset.findProduct(*id)) {
          galleryIndex_[*id] = static_cast<int64_t>(gallery_.size());
          gallery_.push_back(*p);
        }
  const LoaderConfig l = evalLoaderConfig(cfg);
  embedder_ = std::make_unique<GalleryEmbedder>(l, dataset.dir(), tokenizer);
  for (auto [modality, name] : {std::pair{Modality::Multimodal, "mm->mm"}, std::pair{Modality::Text, "t->mm"}}) {
    std::vector<Triplet> picked;
    for (const auto& t : val)
      if (t.query.modality == modality && galleryIndex_.count(t.positiveId) &&
          picked.size() < static_cast<size_t>(cfg.eval.max_queries))
        picked.push_back(t);
    if (picked.empty()) continue;
    directions_.push_back(
        {name, std::make_unique<TripletLoader>(l, dataset.products(), std::move(picked), dataset.dir(), tokenizer)});
  }
  if (directions_.empty()) throw ConfigError(dataset.dir() + "/val.jsonl: no mm or text query to validate with");
}

QuickRetrieval::~QuickRetrieval() = default;

std::map<std::string, double> QuickRetrieval::evaluate(MoonModelImpl& model) {
  torch::NoGradGuard noGrad;
  const bool wasTraining = model.is_training();
  model.eval();
  ForwardOptions embedOnly;
  embedOnly.traceLogits = false;

  // Candidates without traces (LREM); rows the embedder had to leave out stay zero.
  const EmbeddedItems g = embedder_->embed(model, gallery_, EmbedOptions{});
  auto toRows = [&](const EmbeddingMatrix& m) {
    if (m.rows == 0) return torch::Tensor();
    const auto rows = torch::from_blob(const_cast<float*>(m.data.data()),
                                       {static_cast<int64_t>(m.rows), static_cast<int64_t>(m.dim)}, torch::kFloat);
    const auto index = torch::tensor(std::vector<int64_t>(g.itemIndex.begin(), g.itemIndex.end()), torch::kLong);
    return torch::zeros({static_cast<int64_t>(gallery_.size()), static_cast<int64_t>(m.dim)})
        .index_copy_(0, index, rows)
        .to(model.device());
  };
  const torch::Tensor galleryEmb = toRows(g.embeddings);
  const torch::Tensor galleryDisc = toRows(g.discEmbeddings);

  std::map<std::string, double> out;
  double headline = 0;
  std::string mode = cfg_.eval.query_traces;
  if (!cfg_.model.reasoning) mode = "none";
  for (auto& dir : directions_) {
    dir.loader->seek({0, 0});
    std::vector<torch::Tensor> ranks, discRanks;
    for (int64_t b = 0; b < dir.loader->batchesPerEpoch(); ++b) {
      const TripletBatch tb = dir.loader->next();
      ProductBatch query = tb.query;
      if (mode == "none") {
        query = withoutTraces(query);
      } else if (mode == "greedy") {
        GenerationOptions g;
        g.vocabLimit = vocabLimit_;
        query = withTraces(query, generateTraces(model, withoutTraces(query), g));
      }
      const ModelOutput q = model.forward(query, embedOnly);
      std::vector<int64_t> pos;
      for (const auto& id : tb.positive.ids) pos.push_back(galleryIndex_.at(id));
      const auto positives = torch::tensor(pos, torch::kLong).to(q.embedding.device());
      ranks.push_back(positiveRanksExact(q.embedding, galleryEmb, positives));
      if (galleryDisc.defined() && q.discEmbedding.defined())
        discRanks.push_back(positiveRanksExact(q.discEmbedding, galleryDisc, positives));
    }
    const torch::Tensor r = torch::cat(ranks);
    addRecall(out, "val/" + dir.name, r);
    headline += out["val/" + dir.name + "/R@10"];
    if (!discRanks.empty()) addRecall(out, "val/disc/" + dir.name, torch::cat(discRanks));
  }
  out[kHeadlineMetric] = headline / static_cast<double>(directions_.size());
  if (wasTraining) model.train();
  return out;
}

}  // namespace moon
