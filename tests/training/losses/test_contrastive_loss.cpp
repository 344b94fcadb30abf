// InfoNCE, its symmetric variant, the learnable temperature and dynamic
// sample filtering, against explicit loops and hand-computed values.

#include <cmath>
#include <vector>

#include <QtTest>

#include "TensorCompare.h"
#include "core/base/Error.h"
#include "training/losses/InfoNce.h"
#include "training/losses/LogitScale.h"
#include "training/losses/SampleFilter.h"

using moon::test::close;

namespace {

// Reference InfoNCE by explicit loops in double precision: query i against
// `candidates` (rows), target[i]; returns per-sample losses.
std::vector<double> referenceInfoNce(const torch::Tensor& q, const torch::Tensor& c, const std::vector<int64_t>& target,
                                     double scale) {
  auto qa = q.to(torch::kDouble).contiguous();
  auto ca = c.to(torch::kDouble).contiguous();
  const auto Q = qa.accessor<double, 2>();
  const auto C = ca.accessor<double, 2>();
  const int64_t e = qa.size(1);
  auto norm = [&](auto row, int64_t i) {
    double s = 0;
    for (int64_t k = 0; k < e; ++k) s += row[i][k] * row[i][k];
    return std::sqrt(s);
  };
  std::vector<double> losses;
  for (int64_t i = 0; i < qa.size(0); ++i) {
    std::vector<double> logits;
    for (int64_t j = 0; j < ca.size(0); ++j) {
      double dot = 0;
      for (int64_t k = 0; k < e; ++k) dot += Q[i][k] * C[j][k];
      logits.push_back(scale * dot / (norm(Q, i) * norm(C, j)));
    }
    double sumExp = 0;
    for (double l : logits) sumExp += std::exp(l);
    losses.push_back(-logits[target[i]] + std::log(sumExp));
  }
  return losses;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

}  // namespace

class TestContrastiveLoss : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(7); }

  void handComputedSingleTriplet() {
    // q = p = (1,0), n = (0,1), 1/τ = 1: logits [1, 0] → loss = log(1 + e^−1).
    const auto q = torch::tensor({{1.0, 0.0}}, torch::kDouble);
    const auto n = torch::tensor({{0.0, 1.0}}, torch::kDouble);
    const auto r = moon::infoNce(q, q.clone(), n, torch::tensor(1.0, torch::kDouble));
    QVERIFY(close(r.loss.item<double>(), std::log(1.0 + std::exp(-1.0))));
    QCOMPARE(r.stats.accuracy, 1.0);
    QVERIFY(close(r.stats.positiveSim, 1.0));
    QVERIFY(close(r.stats.negativeSim + 1.0, 1.0));
    QVERIFY(close(r.stats.margin, 1.0));
    QCOMPARE(r.stats.pairAccuracy, 1.0);
  }

  void matchesLoopWithHardNegatives() {
    const int64_t b = 5, e = 7;
    const auto q = torch::randn({b, e}, torch::kDouble);
    const auto p = torch::randn({b, e}, torch::kDouble);
    const auto n = torch::randn({b, e}, torch::kDouble);
    const double scale = 1.0 / 0.3;
    const auto r = moon::infoNce(q, p, n, torch::tensor(scale, torch::kDouble));
    std::vector<int64_t> target;
    for (int64_t i = 0; i < b; ++i) target.push_back(i);
    const auto ref = referenceInfoNce(q, torch::cat({p, n}), target, scale);
    QVERIFY(close(r.loss.item<double>(), mean(ref)));
    for (int64_t i = 0; i < b; ++i) QVERIFY(close(r.perSampleLoss[i].item<double>(), ref[i]));
    QCOMPARE(r.perSampleLoss.size(0), b);
    QVERIFY(!r.perSampleLoss.requires_grad());
  }

  void matchesLoopWithoutNegatives() {
    const auto q = torch::randn({4, 3}, torch::kDouble);
    const auto p = torch::randn({4, 3}, torch::kDouble);
    const auto r = moon::infoNce(q, p, {}, torch::tensor(2.0, torch::kDouble));
    const auto ref = referenceInfoNce(q, p, {0, 1, 2, 3}, 2.0);
    QVERIFY(close(r.loss.item<double>(), mean(ref)));
    QVERIFY(std::isnan(r.stats.pairAccuracy));
  }

  void weightsGiveWeightedMean() {
    const auto q = torch::randn({4, 3}, torch::kDouble);
    const auto p = torch::randn({4, 3}, torch::kDouble);
    const auto n = torch::randn({4, 3}, torch::kDouble);
    const auto w = torch::tensor({0.5, 2.0, 0.0, 1.5}, torch::kDouble);
    const auto r = moon::infoNce(q, p, n, torch::tensor(5.0, torch::kDouble), w);
    const auto ref = referenceInfoNce(q, torch::cat({p, n}), {0, 1, 2, 3}, 5.0);
    const double expected = (0.5 * ref[0] + 2.0 * ref[1] + 0.0 * ref[2] + 1.5 * ref[3]) / 4.0;
    QVERIFY(close(r.loss.item<double>(), expected));
    // All-zero weights: zero loss that still backpropagates (zeros).
    auto qg = q.clone().requires_grad_(true);
    const auto zero = moon::infoNce(qg, p, n, torch::tensor(5.0, torch::kDouble), torch::zeros({4}, torch::kDouble));
    QCOMPARE(zero.loss.item<double>(), 0.0);
    zero.loss.backward();
    QCOMPARE(qg.grad().abs().sum().item<double>(), 0.0);
  }

  void statsOnKnownEmbeddings() {
    // q0 matches p0; q1 is closer to its hard negative than to p1.
    const auto q = torch::tensor({{1.0, 0.0}, {0.0, 1.0}}, torch::kDouble);
    const auto p = torch::tensor({{1.0, 0.0}, {1.0, 1.0}}, torch::kDouble);
    const auto n = torch::tensor({{-1.0, 0.0}, {0.0, 2.0}}, torch::kDouble);
    const auto r = moon::infoNce(q, p, n, torch::tensor(10.0, torch::kDouble));
    const double s = 1.0 / std::sqrt(2.0);
    QVERIFY(close(r.stats.positiveSim, (1.0 + s) / 2.0));
    QVERIFY(close(r.stats.negativeSim, (-1.0 + 1.0) / 2.0));
    QVERIFY(close(r.stats.margin, r.stats.positiveSim - r.stats.negativeSim));
    QCOMPARE(r.stats.accuracy, 0.5);
    QCOMPARE(r.stats.pairAccuracy, 0.5);
    QCOMPARE(r.correct[0].item<bool>(), true);
    QCOMPARE(r.correct[1].item<bool>(), false);
  }

  void overCandidatesUsesGivenTargets() {
    const auto q = torch::randn({3, 4}, torch::kDouble);
    const auto c = torch::randn({6, 4}, torch::kDouble);
    const auto t = torch::tensor({4, 0, 2}, torch::kLong);
    const auto r = moon::infoNceOverCandidates(q, c, t, torch::tensor(3.0, torch::kDouble));
    QVERIFY(close(r.loss.item<double>(), mean(referenceInfoNce(q, c, {4, 0, 2}, 3.0))));
  }

  void symmetricMatchesBothDirections() {
    const auto a = torch::randn({4, 5}, torch::kDouble);
    const auto b = torch::randn({4, 5}, torch::kDouble);
    const auto r = moon::symmetricInfoNce(a, b, torch::tensor(4.0, torch::kDouble));
    const double ab = mean(referenceInfoNce(a, b, {0, 1, 2, 3}, 4.0));
    const double ba = mean(referenceInfoNce(b, a, {0, 1, 2, 3}, 4.0));
    QVERIFY(close(r.loss.item<double>(), 0.5 * (ab + ba)));
    QVERIFY(std::fabs(ab - ba) > 1e-6);  // the two directions differ, so both were computed
  }

  void gradientStepLowersLoss() {
    auto q = torch::randn({8, 16}).requires_grad_(true);
    auto p = torch::randn({8, 16}).requires_grad_(true);
    auto n = torch::randn({8, 16}).requires_grad_(true);
    const auto scale = torch::tensor(1.0 / 0.05);
    const auto before = moon::infoNce(q, p, n, scale);
    before.loss.backward();
    QVERIFY(q.grad().abs().sum().item<double>() > 0);
    torch::Tensor after;
    {
      torch::NoGradGuard noGrad;
      const double lr = 1e-2;
      after = moon::infoNce(q - lr * q.grad(), p - lr * p.grad(), n - lr * n.grad(), scale).loss;
    }
    QVERIFY2(after.item<double>() < before.loss.item<double>(), "a small gradient step must lower InfoNCE");
  }

  void temperatureStartsAtInitAndIsLearnable() {
    QVERIFY(close(moon::LogitScale()->temperature(), 0.05, 1e-6));  // the recipe's default
    moon::TemperatureConfig options;
    options.init = 0.5;  // soft enough that float32 still has a gradient
    moon::LogitScale scale(options);
    QCOMPARE(scale->parameters().size(), size_t(1));
    // Perfectly matched pairs: sharper logits lower the loss, so SGD lowers τ.
    const auto q = torch::eye(4);
    const auto before = moon::infoNce(q, q, {}, scale->forward());
    before.loss.backward();
    QVERIFY(scale->logScale.grad().defined());
    QVERIFY(scale->logScale.grad().item<double>() < 0);
    torch::optim::SGD sgd(scale->parameters(), torch::optim::SGDOptions(0.1));
    sgd.step();
    QVERIFY(scale->temperature() < 0.5);
    const auto after = moon::infoNce(q, q, {}, scale->forward());
    QVERIFY(after.loss.item<double>() < before.loss.item<double>());
  }

  void temperatureIsClampedToRange() {
    moon::TemperatureConfig options;
    moon::LogitScale scale(options);
    {
      torch::NoGradGuard noGrad;
      scale->logScale.fill_(std::log(1.0 / 0.001));  // τ = 0.001 < min
    }
    QVERIFY(close(scale->temperature(), 0.01, 1e-5));
    scale->forward().backward();
    QCOMPARE(scale->logScale.grad().item<double>(), 0.0);  // pinned at the bound
    {
      torch::NoGradGuard noGrad;
      scale->logScale.fill_(std::log(1.0 / 50.0));
    }
    QVERIFY(close(scale->temperature(), 1.0, 1e-5));
  }

  void fixedTemperatureIsABuffer() {
    moon::TemperatureConfig options;
    options.learnable = false;
    options.init = 0.1;
    moon::LogitScale scale(options);
    QCOMPARE(scale->parameters().size(), size_t(0));
    QCOMPARE(scale->buffers().size(), size_t(1));
    QVERIFY(close(scale->temperature(), 0.1, 1e-6));
  }

  void invalidTemperatureRangeIsAConfigError() {
    moon::TemperatureConfig options;
    options.init = 2.0;  // above max
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError, moon::LogitScale{options});
    options = {};
    options.min = 0.5;
    options.max = 0.2;
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError, moon::LogitScale{options});
  }

  void filterWeightsOnKnownMargins() {
    // Δ = [0.2, 0, −0.2], mean 0, κ = 10: sigmoid(2), 1/2, sigmoid(−2) over their mean 1/2.
    const auto w = moon::dynamicFilterWeights(torch::tensor({0.2, 0.0, -0.2}, torch::kDouble), 10.0);
    auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    QVERIFY(close(w[0].item<double>(), 2.0 * sig(2.0)));
    QVERIFY(close(w[1].item<double>(), 1.0));
    QVERIFY(close(w[2].item<double>(), 2.0 * sig(-2.0)));
    QVERIFY(close(w.mean().item<double>(), 1.0));
    // The mean is subtracted: shifting every Δ leaves the weights alone.
    const auto shifted = moon::dynamicFilterWeights(torch::tensor({1.2, 1.0, 0.8}, torch::kDouble), 10.0);
    QVERIFY(torch::allclose(w, shifted, 1e-9, 1e-9));
    // κ = 0: filtering is a no-op.
    const auto flat = moon::dynamicFilterWeights(torch::tensor({0.9, -0.3, 0.1}, torch::kDouble), 0.0);
    QVERIFY(torch::allclose(flat, torch::ones({3}, torch::kDouble)));
  }

  void filterWeightsFromEmbeddingsAreDetached() {
    auto q = torch::tensor({{1.0, 0.0}, {1.0, 0.0}}, torch::kDouble).requires_grad_(true);
    const auto p = torch::tensor({{1.0, 0.0}, {0.0, 1.0}}, torch::kDouble);
    const auto n = torch::tensor({{0.0, 1.0}, {1.0, 0.0}}, torch::kDouble);
    // Δ0 = 1 − 0 = 1, Δ1 = 0 − 1 = −1.
    const auto w = moon::dynamicFilterWeights(q, p, n, 1.0);
    QVERIFY(!w.requires_grad());
    auto sig = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    QVERIFY(close(w[0].item<double>(), 2.0 * sig(1.0)));
    QVERIFY(close(w[1].item<double>(), 2.0 * sig(-1.0)));
  }
};

QTEST_APPLESS_MAIN(TestContrastiveLoss)
#include "test_contrastive_loss.moc"
