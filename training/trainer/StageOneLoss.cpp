#include "training/trainer/StageOneLoss.h"

#include "model/inference/BatchViews.h"
#include "training/losses/InfoNce.h"
#include "training/losses/SampleFilter.h"
#include "training/losses/SftLoss.h"

namespace moon {
namespace {

void addInfoNce(LossParts& parts, const std::string& name, double weight, const InfoNceResult& r) {
  parts.total = parts.total + weight * r.loss;
  parts.numbers["loss_" + name] = r.loss.item<double>();
  parts.numbers["acc_" + name] = r.stats.accuracy;
  parts.numbers["margin_" + name] = r.stats.margin;
}

}  // namespace

ProductBatch withoutTraces(const ProductBatch& batch) {
  ProductBatch out = batch;
  out.traceLengths = torch::zeros_like(batch.traceLengths);
  return out;
}

LossParts stageOneLoss(MoonModelImpl& model, LogitScaleImpl& scale, const TripletBatch& batch, const TrainConfig& cfg) {
  const auto& c = cfg.contrastive;
  const int64_t B = batch.query.size();
  const bool sft = cfg.sft.weight > 0 && cfg.model.reasoning;
  const bool align = c.weightAlign > 0;

  ForwardOptions queryOptions;
  queryOptions.traceLogits = sft;
  const ModelOutput q = model.forward(batch.query, queryOptions);

  // Every candidate view in one padded forward: positives, negatives and,
  // for the alignment term, the positives' image-only and text-only views.
  std::vector<ProductBatch> views{withoutTraces(batch.positive), withoutTraces(batch.negative)};
  if (align) {
    views.push_back(modalityView(views[0], Modality::Image));
    views.push_back(modalityView(views[0], Modality::Text));
  }
  ForwardOptions candidateOptions;
  candidateOptions.traceLogits = false;
  const ModelOutput cand = model.forward(concatBatches(views, model.specialTokens().pad), candidateOptions);
  auto part = [&](const torch::Tensor& t, int64_t i) { return t.narrow(0, i * B, B); };

  LossParts parts;
  parts.total = torch::zeros({}, q.embedding.options());
  const torch::Tensor s = scale.forward();
  auto weightsFor = [&](const torch::Tensor& qe, const torch::Tensor& pe, const torch::Tensor& ne) {
    return c.filter ? dynamicFilterWeights(qe, pe, ne, c.kappa) : torch::Tensor();
  };

  const torch::Tensor pe = part(cand.embedding, 0), ne = part(cand.embedding, 1);
  const auto emb = infoNce(q.embedding, pe, c.hardNegatives ? ne : torch::Tensor(), s, weightsFor(q.embedding, pe, ne));
  addInfoNce(parts, "emb", c.weightEmb, emb);
  // Per query modality (text, image, mm), for the curves a researcher splits by.
  const char* names[] = {"text", "image", "mm"};
  for (int m = 0; m < 3; ++m) {
    const auto rows = batch.queryModality.to(emb.perSampleLoss.device()) == m;
    if (rows.any().item<bool>())
      parts.numbers[std::string("loss_emb_") + names[m]] = emb.perSampleLoss.masked_select(rows).mean().item<double>();
  }

  if (q.discEmbedding.defined() && c.weightDisc > 0) {
    const torch::Tensor pd = part(cand.discEmbedding, 0), nd = part(cand.discEmbedding, 1);
    addInfoNce(
        parts, "disc", c.weightDisc,
        infoNce(q.discEmbedding, pd, c.hardNegatives ? nd : torch::Tensor(), s, weightsFor(q.discEmbedding, pd, nd)));
  }

  if (align) {
    const torch::Tensor both =
        (batch.positive.hasImage & (batch.positive.titleLengths > 0)).to(q.embedding.device()).to(torch::kFloat);
    addInfoNce(parts, "align", c.weightAlign,
               symmetricInfoNce(part(cand.embedding, 2), part(cand.embedding, 3), s, both));
  }

  if (sft) {
    const SftResult r = maskedTokenCrossEntropy(q.traceLogits, q.traceTargets, q.traceMask);
    parts.total = parts.total + cfg.sft.weight * r.loss;
    parts.numbers["loss_sft"] = r.loss.item<double>();
    parts.numbers["acc_sft"] = r.accuracy;
  }
  return parts;
}

}  // namespace moon
