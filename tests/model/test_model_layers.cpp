// The model's operators against direct reference computations (double
// precision, relative error): grouped-query attention, rotary positions,
// RMSNorm, the 2x2 patch merge, KV-cache bookkeeping and the token sampler.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"
#include "model/attention/Attention.h"
#include "model/attention/KVCache.h"
#include "model/generation/TokenSampler.h"
#include "model/layers/RMSNorm.h"
#include "model/layers/Rotary.h"
#include "model/runtime/IntraOpThreads.h"
#include "model/vision/VisionEncoder.h"

using namespace moon;
using namespace moon::test;

class TestModelLayers : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(7); }

  void intraOpThreadsFollowTheRequestElseThePolicy() {
    const int before = torch::get_num_threads();
    QCOMPARE(applyIntraOpThreads(3), 3);
    QCOMPARE(torch::get_num_threads(), 3);
    // Without MKL the BLAS threads on its own: one intra-op thread.
    QCOMPARE(defaultIntraOpThreads(), at::hasMKL() ? torch::get_num_threads() : 1);
    QCOMPARE(applyIntraOpThreads(0), defaultIntraOpThreads());
    torch::set_num_threads(before);
  }

  void groupedQueryAttentionMatchesReference() {
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    const int64_t B = 2, H = 6, Hkv = 2, Lq = 5, Lk = 7, D = 8;
    const auto q = torch::randn({B, H, Lq, D}, opts), k = torch::randn({B, Hkv, Lk, D}, opts),
               v = torch::randn({B, Hkv, Lk, D}, opts);
    auto allowed = torch::rand({B, 1, Lq, Lk}) > 0.3;
    allowed[0][0][2].fill_(false);  // a fully masked row (a padding query)
    const auto mask = additiveMask(allowed, torch::kDouble);
    const auto out = attention(q, k, v, mask, true);
    // Reference: every query head reads its group's key/value head.
    const auto kr = k.repeat_interleave(H / Hkv, 1), vr = v.repeat_interleave(H / Hkv, 1);
    auto scores = torch::matmul(q, kr.transpose(-1, -2)) / std::sqrt(double(D));
    scores = scores.masked_fill(~allowed, -1e300);
    const auto w = torch::softmax(scores, -1);
    const auto ref = torch::matmul(w, vr);
    const auto rowOk = allowed.any(-1, true).expand({B, H, Lq, 1});
    QVERIFY(relErr(out.output.masked_select(rowOk), ref.masked_select(rowOk)) < 1e-12);
    QVERIFY(relErr(out.weights.masked_select(rowOk), w.masked_select(rowOk)) < 1e-12);
    QVERIFY(torch::isfinite(out.output).all().item<bool>());  // no NaN from the masked row
    QVERIFY(relErr(out.weights.sum(-1), torch::ones({B, H, Lq}, opts)) < 1e-12);
    QVERIFY(!attention(q, k, v, mask, false).weights.defined());
  }

  void rotaryScoresDependOnlyOnRelativePosition() {
    const auto opts = torch::TensorOptions().dtype(torch::kDouble);
    const int64_t D = 16;
    const auto q = torch::randn({1, 1, 1, D}, opts), k = torch::randn({1, 1, 1, D}, opts);
    auto score = [&](int64_t m, int64_t n) {
      const auto aq = rotaryAngles(torch::tensor({{m}}), D, 10000.0, q);
      const auto ak = rotaryAngles(torch::tensor({{n}}), D, 10000.0, k);
      return (applyRotary(q, aq) * applyRotary(k, ak)).sum().item<double>();
    };
    QVERIFY(std::abs(score(3, 1) - score(10, 8)) < 1e-10 * std::abs(score(3, 1)) + 1e-12);
    QVERIFY(std::abs(score(3, 1) - score(1, 3)) > 1e-6);  // but direction matters
    const auto zero = rotaryAngles(torch::tensor({{int64_t(0)}}), D, 10000.0, q);
    QVERIFY(relErr(applyRotary(q, zero), q) < 1e-15);
    // Rotation keeps the norm.
    const auto far = rotaryAngles(torch::tensor({{int64_t(1234)}}), D, 10000.0, q);
    QVERIFY(std::abs(applyRotary(q, far).norm().item<double>() - q.norm().item<double>()) < 1e-12);
  }

  void rmsNormMatchesFormula() {
    RMSNorm norm(12, 1e-6);
    {
      torch::NoGradGuard g;
      norm->weight.uniform_(0.5, 1.5);
    }
    norm->to(torch::kDouble);
    const auto x = torch::randn({3, 4, 12}, torch::kDouble) * 3;
    const auto ref = x / torch::sqrt(x.pow(2).mean(-1, true) + 1e-6) * norm->weight;
    QVERIFY(relErr(norm(x), ref) < 1e-14);
  }

  void patchMergeTakesTwoByTwoWindowsRowMajor() {
    const int64_t G = 4, C = 2;
    // Patch p holds the values (p, -p).
    const auto idx = torch::arange(G * G, torch::kDouble);
    const auto patches = torch::stack({idx, -idx}, 1).unsqueeze(0);  // [1,16,2]
    const auto merged = mergePatches2x2(patches, G);                 // [1,4,8]
    QCOMPARE(merged.sizes().vec(), (std::vector<int64_t>{1, 4, 4 * C}));
    const std::vector<std::vector<double>> windows = {{0, 1, 4, 5}, {2, 3, 6, 7}, {8, 9, 12, 13}, {10, 11, 14, 15}};
    for (int64_t w = 0; w < 4; ++w)
      for (int64_t j = 0; j < 4; ++j) {
        QCOMPARE(merged[0][w][2 * j].item<double>(), windows[size_t(w)][size_t(j)]);
        QCOMPARE(merged[0][w][2 * j + 1].item<double>(), -windows[size_t(w)][size_t(j)]);
      }
  }

  void kvCacheCountsPositionsAndMasksPadding() {
    KVCache cache(1, 2, 1, 4, 6, torch::TensorOptions().dtype(torch::kDouble));
    // Row 0 left-padded by one column.
    const auto prompt = torch::tensor({{false, true, true}, {true, true, true}});
    auto step = cache.begin(prompt);
    QVERIFY(step.positions.equal(torch::tensor({0, 0, 1, 0, 1, 2}, torch::kLong).view({2, 3})));
    const auto kv = torch::randn({2, 1, 3, 4}, torch::kDouble);
    auto [k, v] = cache.append(0, kv, kv);
    QVERIFY(k.equal(kv));
    cache.commit();
    // Row 1 has stopped: its new column is padding.
    step = cache.begin(torch::tensor({{true}, {false}}));
    QVERIFY(step.positions.select(1, 0)[0].item<int64_t>() == 2);
    QCOMPARE(step.allowed.sizes().vec(), (std::vector<int64_t>{2, 1, 1, 4}));
    QVERIFY(step.allowed[0][0][0].equal(torch::tensor({false, true, true, true})));
    QVERIFY(step.allowed[1][0][0].equal(torch::tensor({true, true, true, false})));
    cache.append(0, torch::zeros({2, 1, 1, 4}, torch::kDouble), torch::zeros({2, 1, 1, 4}, torch::kDouble));
    cache.commit();
    QCOMPARE(cache.length(), int64_t(4));
  }

  void samplerHonoursTopPAndBans() {
    // Probabilities 0.5, 0.3, 0.15, 0.05 over ids 0..3 (id 4 banned, else the largest).
    const auto probs = torch::tensor({0.5, 0.3, 0.15, 0.05, 0.0});
    auto logits = torch::log(probs.clamp_min(1e-12)).unsqueeze(0).repeat({2000, 1});
    logits.select(1, 4).fill_(100.0);
    SamplingOptions s;
    s.greedy = false;
    s.topP = 0.7;  // keeps 0 and 1 (0.5 < 0.7 <= 0.8)
    s.seed = 11;
    TokenSampler sampler(s, {4});
    const auto chosen = sampler.choose(logits);
    QVERIFY(chosen.le(1).all().item<bool>());
    const double share0 = chosen.eq(0).to(torch::kDouble).mean().item<double>();
    QVERIFY2(std::abs(share0 - 0.5 / 0.8) < 0.05, qPrintable(QString::number(share0)));
    SamplingOptions greedy;
    QVERIFY(TokenSampler(greedy, {4}).choose(logits).eq(0).all().item<bool>());
    QVERIFY(TokenSampler(greedy, {}).choose(logits).eq(4).all().item<bool>());
  }
};

QTEST_GUILESS_MAIN(TestModelLayers)
#include "test_model_layers.moc"
