#include "training/trainer/StageOneLoss.h"

#include <algorithm>

#include "model/generation/TraceGenerator.h"
#include "model/inference/BatchViews.h"
#include "training/distributed/DistributedContext.h"
#include "training/losses/InfoNce.h"
#include "training/losses/SampleFilter.h"
#include "training/losses/SftLoss.h"

namespace moon {
namespace {

void addInfoNce(LossParts& parts, const std::string& name, double weight, const InfoNceResult& r) {
  parts.add("contrastive", weight * r.loss);
  const double value = r.loss.item<double>();
  parts.value += weight * value;
  parts.numbers["loss_" + name] = value;
  parts.numbers["acc_" + name] = r.stats.accuracy;
  parts.numbers["margin_" + name] = r.stats.margin;
}

// The next-token loss on the query traces, as this rank's share (data
// parallel: its token sum over the global token count).
void addSft(LossParts& parts, const ModelOutput& q, double weight, DistributedContext* dist) {
  const SftResult r = maskedTokenCrossEntropy(q.traceLogits, q.traceTargets, q.traceMask);
  double loss = r.loss.item<double>(), accuracy = r.accuracy;
  torch::Tensor share = r.loss;
  if (dist) {
    const double tokens = static_cast<double>(r.tokens);
    const torch::Tensor sums = torch::tensor({loss * tokens, accuracy * tokens, tokens}, torch::kFloat64);
    dist->allReduceSum({sums});
    const double all = std::max(sums[2].item<double>(), 1.0);
    share = r.loss * (tokens / all);
    loss = sums[0].item<double>() / all;
    accuracy = sums[1].item<double>() / all;
  }
  parts.add("trace", weight * share);
  parts.value += weight * loss;
  parts.numbers["loss_sft"] = loss;
  parts.numbers["acc_sft"] = accuracy;
}

// The rows whose traces the next-token loss learns: the queries, then (with
// sft.product_views) each positive in its drawn view. The queries come first,
// so rows [0, B) are the queries for the contrastive terms.
ProductBatch traceRows(const TripletBatch& batch, const TrainConfig& cfg, int64_t pad) {
  if (!cfg.sft.product_views || batch.productView.size() == 0) return batch.query;
  return concatBatches({batch.query, batch.productView}, pad);
}

// The first `rows` rows of an output's embeddings (the queries).
ModelOutput firstRows(ModelOutput out, int64_t rows) {
  if (out.embedding.size(0) == rows) return out;
  out.embedding = out.embedding.narrow(0, 0, rows);
  if (out.discEmbedding.defined()) out.discEmbedding = out.discEmbedding.narrow(0, 0, rows);
  return out;
}

// The queries with the model's own greedy traces in place of their targets
// (no gradient through the choice of tokens), and how those traces went.
ProductBatch withOwnTraces(MoonModelImpl& model, const ProductBatch& query, int64_t vocabLimit, LossParts& parts) {
  const ProductBatch prompts = withoutTraces(query);
  GenerationResult own;
  {
    torch::NoGradGuard noGrad;
    GenerationOptions gen;
    gen.vocabLimit = vocabLimit;
    own = generateTraces(model, prompts, gen);
  }
  parts.numbers["own_trace_len"] = own.lengths.to(torch::kDouble).mean().item<double>();
  parts.numbers["own_trace_closed"] = own.closed.to(torch::kDouble).mean().item<double>();
  return withTraces(prompts, own);
}

}  // namespace

LossParts stageOneLoss(MoonModelImpl& model, LogitScaleImpl& scale, const TripletBatch& batch, const TrainConfig& cfg,
                       DistributedContext* dist, StageOneTerms terms, int64_t vocabLimit) {
  const auto& c = cfg.contrastive;
  const int64_t B = batch.query.size();
  if (terms == StageOneTerms::TraceOnly && cfg.model.reasoning) {
    ForwardOptions options;
    options.traceLogits = true;
    const ModelOutput q = model.forward(traceRows(batch, cfg, model.specialTokens().pad), options);
    LossParts parts;
    parts.total = torch::zeros({}, q.embedding.options());
    addSft(parts, q, 1.0, dist);
    return parts;
  }
  const bool sft = cfg.sft.weight > 0 && cfg.model.reasoning && terms != StageOneTerms::Contrastive;
  const bool align = c.weight_align > 0;

  LossParts parts;
  ForwardOptions queryOptions;
  queryOptions.traceLogits = sft;
  // The SFT forward reads the target traces; the contrastive terms read its
  // embeddings, or (query_traces = greedy) those of a second forward after
  // the model's own traces.
  const bool ownTraces = cfg.model.reasoning && c.query_traces == "greedy";
  ModelOutput traced;
  if (sft) traced = model.forward(traceRows(batch, cfg, model.specialTokens().pad), queryOptions);
  ForwardOptions embedOnly;
  embedOnly.traceLogits = false;
  const ModelOutput q = ownTraces ? model.forward(withOwnTraces(model, batch.query, vocabLimit, parts), embedOnly)
                        : sft     ? firstRows(traced, B)
                                  : model.forward(batch.query, embedOnly);

  // Every candidate view in one padded forward: positives, negatives and,
  // for the alignment term, the positives' image-only and text-only views.
  std::vector<ProductBatch> views{withoutTraces(batch.positive), withoutTraces(batch.negative)};
  if (align) {
    views.push_back(modalityView(views[0], Modality::Image));
    views.push_back(modalityView(views[0], Modality::Text));
  }
  const ModelOutput cand = model.forward(concatBatches(views, model.specialTokens().pad), embedOnly);
  // Data parallel: every rank's rows in rank order, i.e. the global batch.
  auto global = [&](const torch::Tensor& t) { return dist ? dist->allGather(t) : t; };
  auto part = [&](const torch::Tensor& t, int64_t i) { return global(t.narrow(0, i * B, B)); };

  parts.total = torch::zeros({}, q.embedding.options());
  const torch::Tensor s = scale.forward();
  auto weightsFor = [&](const torch::Tensor& qe, const torch::Tensor& pe, const torch::Tensor& ne) {
    return c.filter ? dynamicFilterWeights(qe, pe, ne, c.kappa) : torch::Tensor();
  };

  const torch::Tensor qe = global(q.embedding);
  const torch::Tensor pe = part(cand.embedding, 0), ne = part(cand.embedding, 1);
  const auto emb = infoNce(qe, pe, c.hard_negatives ? ne : torch::Tensor(), s, weightsFor(qe, pe, ne));
  addInfoNce(parts, "emb", c.weight_emb, emb);
  // Per query modality (text, image, mm), for the curves a researcher splits by.
  const char* names[] = {"text", "image", "mm"};
  const torch::Tensor modality = global(batch.queryModality.to(emb.perSampleLoss.device()));
  for (int m = 0; m < 3; ++m) {
    const auto rows = modality == m;
    if (rows.any().item<bool>())
      parts.numbers[std::string("loss_emb_") + names[m]] = emb.perSampleLoss.masked_select(rows).mean().item<double>();
  }

  if (q.discEmbedding.defined() && c.weight_disc > 0) {
    const torch::Tensor qd = global(q.discEmbedding);
    const torch::Tensor pd = part(cand.discEmbedding, 0), nd = part(cand.discEmbedding, 1);
    addInfoNce(parts, "disc", c.weight_disc,
               infoNce(qd, pd, c.hard_negatives ? nd : torch::Tensor(), s, weightsFor(qd, pd, nd)));
  }

  if (align) {
    const torch::Tensor both =
        (batch.positive.hasImage & (batch.positive.titleLengths > 0)).to(q.embedding.device()).to(torch::kFloat);
    // One collective per statement: all ranks must gather in the same order.
    const torch::Tensor images = part(cand.embedding, 2);
    const torch::Tensor texts = part(cand.embedding, 3);
    addInfoNce(parts, "align", c.weight_align, symmetricInfoNce(images, texts, s, global(both)));
  }

  if (sft) addSft(parts, traced, cfg.sft.weight, dist);
  return parts;
}

}  // namespace moon
