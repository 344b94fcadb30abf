// SFT cross-entropy, token log-probs and the GRPO clipped objective with its
// k3 KL term, on tiny tensors with values worked out by hand or by loops.

#include <cmath>
#include <vector>

#include <QtTest>

#include "TensorCompare.h"
#include "training/losses/GrpoLoss.h"
#include "training/losses/SftLoss.h"
#include "training/losses/TokenLogProbs.h"

using moon::test::close;

namespace {

double logSumExp(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += std::exp(x);
  return std::log(s);
}

}  // namespace

class TestPolicyLoss : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(11); }

  void sftHandComputed() {
    // One real token with logits [0, log 3] and target 1: p = 3/4 → ℓ = log(4/3).
    // The second position is padding with an invalid id and must not count.
    const auto logits = torch::tensor({{{0.0, std::log(3.0)}, {5.0, -5.0}}}, torch::kDouble);
    const auto targets = torch::tensor({{1, -100}}, torch::kLong);
    const auto mask = torch::tensor({{true, false}});
    const auto r = moon::maskedTokenCrossEntropy(logits, targets, mask);
    QVERIFY(close(r.loss.item<double>(), std::log(4.0 / 3.0)));
    QCOMPARE(r.tokens, int64_t(1));
    QCOMPARE(r.accuracy, 1.0);
  }

  void sftMatchesLoopOverRealTokens() {
    const int64_t b = 3, l = 4, v = 6;
    const auto logits = torch::randn({b, l, v}, torch::kDouble);
    const auto targets = torch::randint(0, v, {b, l}, torch::kLong);
    const auto mask = torch::tensor({{1, 1, 1, 0}, {1, 0, 0, 0}, {1, 1, 1, 1}}, torch::kLong);
    const auto r = moon::maskedTokenCrossEntropy(logits, targets, mask);
    auto la = logits.accessor<double, 3>();
    auto ta = targets.accessor<int64_t, 2>();
    auto ma = mask.accessor<int64_t, 2>();
    double sum = 0;
    int count = 0;
    for (int64_t i = 0; i < b; ++i)
      for (int64_t t = 0; t < l; ++t) {
        if (!ma[i][t]) continue;
        std::vector<double> row;
        for (int64_t k = 0; k < v; ++k) row.push_back(la[i][t][k]);
        sum += logSumExp(row) - row[ta[i][t]];
        ++count;
      }
    QCOMPARE(r.tokens, int64_t(count));
    QVERIFY(close(r.loss.item<double>(), sum / count));
  }

  void sftWithoutTokensIsZeroAndDifferentiable() {
    auto logits = torch::randn({2, 3, 4}).requires_grad_(true);
    const auto r = moon::maskedTokenCrossEntropy(logits, torch::zeros({2, 3}, torch::kLong), torch::zeros({2, 3}));
    QCOMPARE(r.loss.item<double>(), 0.0);
    QCOMPARE(r.tokens, int64_t(0));
    r.loss.backward();
    QCOMPARE(logits.grad().abs().sum().item<double>(), 0.0);
  }

  void tokenLogProbsMatchLoop() {
    const auto logits = torch::randn({2, 3, 5}, torch::kDouble);
    const auto tokens = torch::tensor({{0, 4, 2}, {3, -1, 1}}, torch::kLong);
    const auto lp = moon::tokenLogProbs(logits, tokens);
    auto la = logits.accessor<double, 3>();
    for (int64_t b = 0; b < 2; ++b)
      for (int64_t t = 0; t < 3; ++t) {
        const int64_t id = tokens[b][t].item<int64_t>();
        if (id < 0) {
          QCOMPARE(lp[b][t].item<double>(), 0.0);
          continue;
        }
        std::vector<double> row;
        for (int64_t k = 0; k < 5; ++k) row.push_back(la[b][t][k]);
        QVERIFY(close(lp[b][t].item<double>(), row[id] - logSumExp(row)));
      }
  }

  void entropyOfKnownDistributions() {
    // Position 0: uniform over the 4 allowed ids (the 5th, beyond the limit, is ignored) = ln 4; position 1: one
    // id certain = 0.
    auto logits = torch::zeros({1, 2, 5});
    logits[0][0][4] = 50.0;
    logits[0][1][2] = 100.0;
    const auto h = moon::tokenEntropy(logits, 4);
    QCOMPARE(h.sizes(), (torch::IntArrayRef{1, 2}));
    QVERIFY(std::abs(h[0][0].item<double>() - std::log(4.0)) < 1e-6);
    QVERIFY(std::abs(h[0][1].item<double>()) < 1e-6);
    // Without a limit the 5th id dominates position 0.
    QVERIFY(moon::tokenEntropy(logits)[0][0].item<double>() < 0.01);
    auto mask = torch::tensor({{true, false}});
    QVERIFY(std::abs(moon::maskedMean(h, mask) - std::log(4.0)) < 1e-6);
    QCOMPARE(moon::maskedMean(h, torch::zeros({1, 2}, torch::kBool)), 0.0);
  }

  void clippedObjectiveOnKnownNumbers() {
    // logp = 0 and old = −log ρ, so each token's ratio is ρ.
    //   seq 0, A = +1: ρ 1.1 (inside) → −1.1;  ρ 1.5 (above 1.28) → −1.28, clipped
    //   seq 1, A = −1: ρ 0.5 (below 0.8) → +0.8, clipped;  ρ 1.5 → +1.5 (unclipped is the min)
    //   seq 2, A = +1: ρ 0.5 → −0.5 (unclipped is the min);  second token masked out
    const std::vector<std::vector<double>> rho = {{1.1, 1.5}, {0.5, 1.5}, {0.5, 9.0}};
    auto old = torch::empty({3, 2}, torch::kDouble);
    for (int i = 0; i < 3; ++i)
      for (int t = 0; t < 2; ++t) old[i][t] = -std::log(rho[i][t]);
    auto logp = torch::zeros({3, 2}, torch::kDouble).requires_grad_(true);
    const auto mask = torch::tensor({{1, 1}, {1, 1}, {1, 0}});
    const auto adv = torch::tensor({1.0, -1.0, 1.0}, torch::kDouble);
    moon::GrpoConfig options;  // clip 0.2 / 0.28
    const auto r = moon::grpoLoss(logp, old, {}, mask, adv, options);

    QCOMPARE(r.tokens, int64_t(5));
    const double expected = (-1.1 - 1.28 + 0.8 + 1.5 - 0.5) / 5.0;
    QVERIFY(close(r.loss.item<double>(), expected));
    QVERIFY(close(r.policyLoss, expected));
    QVERIFY(close(r.clipFraction, 2.0 / 5.0));
    QVERIFY(close(r.ratioMean, (1.1 + 1.5 + 0.5 + 1.5 + 0.5) / 5.0));
    QCOMPARE(r.klMean, 0.0);

    // d/dlogp of −ρA is −ρA where the unclipped term is taken, 0 where clipped.
    r.loss.backward();
    const std::vector<std::vector<double>> grad = {{-1.1 / 5, 0.0}, {0.0, 1.5 / 5}, {-0.5 / 5, 0.0}};
    for (int i = 0; i < 3; ++i)
      for (int t = 0; t < 2; ++t)
        QVERIFY2(close(logp.grad()[i][t].item<double>(), grad[i][t], 1e-9),
                 qPrintable(QString("grad[%1][%2]").arg(i).arg(t)));
  }

  void klIsZeroWhenPolicyEqualsReference() {
    auto logp = (-torch::rand({4, 6}, torch::kDouble) * 3.0).requires_grad_(true);
    const auto mask = torch::ones({4, 6});
    const auto adv = torch::zeros({4}, torch::kDouble);
    const auto r = moon::grpoLoss(logp, logp.detach(), logp.detach().clone(), mask, adv);
    QCOMPARE(r.klMean, 0.0);
    QCOMPARE(r.loss.item<double>(), 0.0);
    r.loss.backward();
    QCOMPARE(logp.grad().abs().max().item<double>(), 0.0);
  }

  void klTermOnKnownNumbers() {
    // ref − logp = log ½ → k3 = ½ − log ½ − 1; d k3/d logp = 1 − exp(ref − logp) = ½.
    auto logp = torch::zeros({1, 2}, torch::kDouble).requires_grad_(true);
    const auto ref = torch::full({1, 2}, std::log(0.5), torch::kDouble);
    const auto adv = torch::zeros({1}, torch::kDouble);
    moon::GrpoConfig options;
    const auto r = moon::grpoLoss(logp, {}, ref, torch::ones({1, 2}), adv, options);
    const double k3 = 0.5 - std::log(0.5) - 1.0;
    QVERIFY(close(r.klMean, k3));
    QVERIFY(close(r.loss.item<double>(), 0.04 * k3));
    r.loss.backward();
    QVERIFY(close(logp.grad()[0][0].item<double>(), 0.04 * 0.5 / 2.0));

    // β = 0: still reported, no longer optimised.
    options.kl_beta = 0.0;
    const auto off = moon::grpoLoss(logp, {}, ref, torch::ones({1, 2}), adv, options);
    QVERIFY(close(off.klMean, k3));
    QCOMPARE(off.loss.item<double>(), 0.0);
  }

  void onPolicyRatioIsOneWithPolicyGradient() {
    // Without old log-probs: ρ = 1, loss = −mean A, gradient = −A / tokens.
    auto logp = torch::tensor({{-1.0, -2.0}, {-0.5, -3.0}}, torch::kDouble).requires_grad_(true);
    const auto adv = torch::tensor({2.0, -1.0}, torch::kDouble);
    const auto r = moon::grpoLoss(logp, {}, {}, torch::ones({2, 2}), adv);
    QVERIFY(close(r.loss.item<double>(), -(2.0 + 2.0 - 1.0 - 1.0) / 4.0));
    QCOMPARE(r.clipFraction, 0.0);
    r.loss.backward();
    QVERIFY(close(logp.grad()[0][1].item<double>(), -2.0 / 4.0));
    QVERIFY(close(logp.grad()[1][0].item<double>(), 1.0 / 4.0));
  }

  void extremeLogRatiosStayFinite() {
    auto logp = torch::tensor({{0.0, -200.0}}, torch::kDouble).requires_grad_(true);
    const auto old = torch::tensor({{-200.0, 0.0}}, torch::kDouble);
    const auto r = moon::grpoLoss(logp, old, old, torch::ones({1, 2}), torch::tensor({1.0}, torch::kDouble));
    QVERIFY(std::isfinite(r.loss.item<double>()));
    r.loss.backward();
    QVERIFY(torch::isfinite(logp.grad()).all().item<bool>());
  }
};

QTEST_APPLESS_MAIN(TestPolicyLoss)
#include "test_policy_loss.moc"
