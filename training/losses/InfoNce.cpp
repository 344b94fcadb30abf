#include "training/losses/InfoNce.h"

#include <limits>

#include "model/runtime/AutocastOff.h"

namespace moon {
namespace {

namespace F = torch::nn::functional;

torch::Tensor unit(const torch::Tensor& x) { return F::normalize(x, F::NormalizeFuncOptions().dim(-1)); }

torch::Tensor weightedMean(const torch::Tensor& perSample, const torch::Tensor& weights) {
  if (!weights.defined()) return perSample.mean();
  TORCH_CHECK(weights.dim() == 1 && weights.size(0) == perSample.size(0), "weights must be [B], got ", weights.sizes());
  const auto w = weights.to(perSample.dtype());
  return (perSample * w).sum() / w.sum().clamp_min(std::numeric_limits<float>::min());
}

void checkPair(const torch::Tensor& a, const torch::Tensor& b, const char* what) {
  TORCH_CHECK(a.dim() == 2 && b.dim() == 2 && a.sizes() == b.sizes(), what, " must both be [B,E], got ", a.sizes(),
              " and ", b.sizes());
}

}  // namespace

InfoNceResult infoNceOverCandidates(const torch::Tensor& queries, const torch::Tensor& candidates,
                                    const torch::Tensor& targets, const torch::Tensor& scale,
                                    const torch::Tensor& weights) {
  TORCH_CHECK(queries.dim() == 2 && candidates.dim() == 2 && queries.size(1) == candidates.size(1),
              "queries [B,E] and candidates [N,E] expected, got ", queries.sizes(), " and ", candidates.sizes());
  TORCH_CHECK(targets.dim() == 1 && targets.size(0) == queries.size(0), "targets must be [B], got ", targets.sizes());
  // [B,N] cosines in at least float32, also under autocast: a bf16 cosine
  // times a learned logit scale of up to 100 is too coarse (AutocastOff.h).
  const auto precision = torch::promote_types(queries.scalar_type(), torch::kFloat32);
  torch::Tensor sims;
  {
    AutocastOff fullPrecision;
    sims = torch::matmul(unit(queries.to(precision)), unit(candidates.to(precision)).t());
  }
  const auto logits = sims * scale;
  const auto target = targets.to(torch::kLong);
  const auto perSample = F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().reduction(torch::kNone));

  InfoNceResult result;
  result.loss = weightedMean(perSample, weights);

  torch::NoGradGuard noGrad;
  const auto s = sims.detach();
  result.perSampleLoss = perSample.detach();
  result.correct = logits.detach().argmax(1).eq(target);
  const auto positive = s.gather(1, target.unsqueeze(1)).squeeze(1);
  const int64_t n = s.size(1);
  result.stats.accuracy = result.correct.to(torch::kDouble).mean().item<double>();
  result.stats.positiveSim = positive.mean().item<double>();
  result.stats.negativeSim = n > 1 ? ((s.sum(1) - positive) / static_cast<double>(n - 1)).mean().item<double>() : 0.0;
  result.stats.margin = result.stats.positiveSim - result.stats.negativeSim;
  result.stats.pairAccuracy = std::numeric_limits<double>::quiet_NaN();
  return result;
}

InfoNceResult infoNce(const torch::Tensor& queries, const torch::Tensor& positives, const torch::Tensor& negatives,
                      const torch::Tensor& scale, const torch::Tensor& weights) {
  checkPair(queries, positives, "queries and positives");
  if (negatives.defined()) checkPair(queries, negatives, "queries and negatives");
  const auto candidates = negatives.defined() ? torch::cat({positives, negatives}, 0) : positives;
  const auto targets =
      torch::arange(queries.size(0), torch::TensorOptions().dtype(torch::kLong).device(queries.device()));
  auto result = infoNceOverCandidates(queries, candidates, targets, scale, weights);
  if (negatives.defined()) {
    torch::NoGradGuard noGrad;
    const auto q = unit(queries.detach());
    const auto pos = (q * unit(positives.detach())).sum(1);
    const auto neg = (q * unit(negatives.detach())).sum(1);
    result.stats.negativeSim = neg.mean().item<double>();
    result.stats.margin = result.stats.positiveSim - result.stats.negativeSim;
    result.stats.pairAccuracy = pos.gt(neg).to(torch::kDouble).mean().item<double>();
  }
  return result;
}

InfoNceResult symmetricInfoNce(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor& scale,
                               const torch::Tensor& weights) {
  checkPair(a, b, "both views");
  const auto targets = torch::arange(a.size(0), torch::TensorOptions().dtype(torch::kLong).device(a.device()));
  auto ab = infoNceOverCandidates(a, b, targets, scale, weights);
  auto ba = infoNceOverCandidates(b, a, targets, scale, weights);
  InfoNceResult result;
  result.loss = 0.5 * (ab.loss + ba.loss);
  result.perSampleLoss = 0.5 * (ab.perSampleLoss + ba.perSampleLoss);
  result.correct = ab.correct.logical_and(ba.correct);
  result.stats.accuracy = 0.5 * (ab.stats.accuracy + ba.stats.accuracy);
  result.stats.positiveSim = ab.stats.positiveSim;  // the diagonal is the same both ways
  result.stats.negativeSim = 0.5 * (ab.stats.negativeSim + ba.stats.negativeSim);
  result.stats.margin = result.stats.positiveSim - result.stats.negativeSim;
  result.stats.pairAccuracy = ab.stats.pairAccuracy;
  return result;
}

}  // namespace moon
