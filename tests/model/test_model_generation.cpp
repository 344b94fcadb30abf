// Trace generation: the KV-cache path against full recomputation, seeded
// sampling, stopping rules and the log-probabilities the RL trainer uses.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"
#include "core/base/Error.h"
#include "model/generation/TraceGenerator.h"

using namespace moon;
using namespace moon::test;

namespace {

// A vocabulary of 16 (10 special + 6 text ids) makes </think> likely enough
// that rows stop at different steps.
ModelConfig smallVocabConfig() {
  auto cfg = microConfig();
  cfg.language.vocab_size = 16;
  return cfg;
}

std::vector<int64_t> banned(const SpecialTokenIds& sp) {
  std::vector<int64_t> out;
  for (int64_t id : sp.all())
    if (id != sp.thinkEnd) out.push_back(id);
  return out;
}

struct Reference {
  std::vector<std::vector<int64_t>> tokens;
  std::vector<bool> closed;
  std::vector<std::vector<torch::Tensor>> logits;  // per row, per step [V]
};

// Generation by recomputing the whole sequence (teacher-forced forward over
// the tokens so far) at every step, with the same sampler.
Reference recomputeEveryStep(MoonModel& model, ProductBatch batch, const SamplingOptions& sampling, int maxTokens) {
  torch::NoGradGuard g;
  const int64_t B = batch.size();
  const auto& sp = model->specialTokens();
  TokenSampler sampler(sampling, banned(sp));
  Reference ref;
  ref.tokens.resize(static_cast<size_t>(B));
  ref.closed.assign(static_cast<size_t>(B), false);
  ref.logits.resize(static_cast<size_t>(B));
  std::vector<bool> active(static_cast<size_t>(B), true);
  for (int s = 0; s <= maxTokens; ++s) {
    batch.traceIds = torch::full({B, std::max(s, 1)}, sp.pad, torch::kLong);
    batch.traceLengths = torch::zeros({B}, torch::kLong);
    for (int64_t b = 0; b < B; ++b) {
      const auto& t = ref.tokens[static_cast<size_t>(b)];
      for (size_t j = 0; j < t.size(); ++j) batch.traceIds[b][static_cast<int64_t>(j)] = t[j];
      batch.traceLengths[b] = static_cast<int64_t>(t.size());
    }
    const auto out = model->forward(batch);
    std::vector<torch::Tensor> rows;
    for (int64_t b = 0; b < B; ++b) rows.push_back(out.traceLogits[b][batch.traceLengths[b].item<int64_t>()]);
    const auto logits = torch::stack(rows);
    const auto next = sampler.choose(logits);
    bool any = false;
    for (int64_t b = 0; b < B; ++b) {
      const auto i = static_cast<size_t>(b);
      if (!active[i]) continue;
      ref.logits[i].push_back(logits[b]);
      const int64_t id = next[b].item<int64_t>();
      if (id == sp.thinkEnd) {
        ref.closed[i] = true;
        active[i] = false;
      } else if (s == maxTokens) {
        active[i] = false;
      } else {
        ref.tokens[i].push_back(id);
        any = true;
      }
    }
    if (!any) break;
  }
  return ref;
}

void compareWithReference(MoonModel& model, const ProductBatch& batch, const SamplingOptions& sampling) {
  const int maxTokens = 6;
  GenerationOptions opts;
  opts.sampling = sampling;
  opts.maxTokens = maxTokens;
  opts.returnLogits = true;
  const auto gen = generateTraces(*model, batch, opts);
  const auto ref = recomputeEveryStep(model, batch, sampling, maxTokens);
  for (int64_t b = 0; b < batch.size(); ++b) {
    const auto i = static_cast<size_t>(b);
    const int64_t n = gen.lengths[b].item<int64_t>();
    QCOMPARE(n, static_cast<int64_t>(ref.tokens[i].size()));
    for (int64_t t = 0; t < n; ++t) QCOMPARE(gen.tokens[b][t].item<int64_t>(), ref.tokens[i][static_cast<size_t>(t)]);
    QCOMPARE(gen.closed[b].item<bool>(), static_cast<bool>(ref.closed[i]));
    for (size_t s = 0; s < ref.logits[i].size(); ++s)
      QVERIFY2(relErr(gen.logits[b][static_cast<int64_t>(s)], ref.logits[i][s]) < 1e-5,
               qPrintable(QString("row %1 step %2").arg(b).arg(s)));
  }
}

}  // namespace

class TestModelGeneration : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(2); }

  void kvCacheGreedyMatchesRecomputation_data() {
    QTest::addColumn<bool>("copyHead");
    QTest::newRow("LM head") << false;
    QTest::newRow("copy head") << true;
  }

  void kvCacheGreedyMatchesRecomputation() {
    QFETCH(bool, copyHead);
    auto cfg = microConfig();
    cfg.language.copy_head = copyHead;
    MoonModel model(cfg);
    model->eval();
    compareWithReference(model, makeBatch(cfg, mixedRows(), 21), SamplingOptions{});
  }

  void kvCacheSamplingMatchesRecomputationWithEarlyStops() {
    const auto cfg = smallVocabConfig();
    MoonModel model(cfg);
    model->eval();
    SamplingOptions s;
    s.greedy = false;
    s.temperature = 1.5;
    s.seed = 7;
    const auto batch = makeBatch(cfg, mixedRows(), 22);
    compareWithReference(model, batch, s);
    GenerationOptions opts;
    opts.sampling = s;
    opts.maxTokens = 6;
    const auto gen = generateTraces(*model, batch, opts);
    // The point of this configuration: rows stop at different steps.
    QVERIFY(gen.closed.any().item<bool>());
    QVERIFY(gen.lengths.min().item<int64_t>() < gen.lengths.max().item<int64_t>());
  }

  void seedMakesSamplingReproducible() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 23);
    GenerationOptions opts;
    opts.sampling.greedy = false;
    opts.sampling.temperature = 2.0;
    opts.sampling.seed = 42;
    const auto a = generateTraces(*model, batch, opts);
    const auto b = generateTraces(*model, batch, opts);
    QVERIFY(a.tokens.equal(b.tokens));
    opts.sampling.seed = 43;
    const auto c = generateTraces(*model, batch, opts);
    QVERIFY(!a.tokens.equal(c.tokens));
    // A vanishing nucleus keeps only the most likely token: greedy decoding.
    opts.sampling.topP = 1e-9;
    const auto nucleus = generateTraces(*model, batch, opts);
    const auto greedy = generateTraces(*model, batch, GenerationOptions{});
    QVERIFY(nucleus.tokens.equal(greedy.tokens));
    opts.sampling.temperature = 0.0;
    QVERIFY_THROWS_EXCEPTION(Error, generateTraces(*model, batch, opts));
  }

  void tracesRespectTheLimitAndNeverContainSpecialTokens() {
    const auto cfg = smallVocabConfig();
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 24);
    GenerationOptions opts;
    opts.sampling.greedy = false;
    opts.sampling.seed = 3;
    opts.maxTokens = 5;
    opts.vocabLimit = 14;  // ids 14 and 15 are "beyond the tokenizer"
    const auto gen = generateTraces(*model, batch, opts);
    QVERIFY(gen.lengths.le(5).all().item<bool>());
    QVERIFY((gen.lengths.eq(5) | gen.closed).all().item<bool>());  // a row stops only at </think> or the limit
    const auto valid = torch::arange(gen.tokens.size(1)).unsqueeze(0) < gen.lengths.unsqueeze(1);
    const auto used = gen.tokens.masked_select(valid);
    QVERIFY(used.ge(10).all().item<bool>());
    QVERIFY(used.lt(14).all().item<bool>());
    QVERIFY(gen.tokens.masked_select(~valid).eq(0).all().item<bool>());
    opts.maxTokens = cfg.max_trace_tokens + 1;  // longer than the embedding pass keeps
    QVERIFY_THROWS_EXCEPTION(Error, generateTraces(*model, batch, opts));
  }

  void logProbsMatchTheTeacherForcedForward_data() {
    QTest::addColumn<bool>("copyHead");
    QTest::newRow("LM head") << false;
    QTest::newRow("copy head") << true;
  }

  void logProbsMatchTheTeacherForcedForward() {
    QFETCH(bool, copyHead);
    auto cfg = smallVocabConfig();
    cfg.language.copy_head = copyHead;
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 25);
    GenerationOptions opts;
    opts.sampling.greedy = false;
    opts.sampling.seed = 9;
    opts.maxTokens = 6;
    const auto gen = generateTraces(*model, batch, opts);
    const auto out = model->forward(withTraces(batch, gen));
    const auto lp = torch::log_softmax(out.traceLogits, -1).gather(2, out.traceTargets.unsqueeze(-1)).squeeze(-1);
    // Same columns: trace tokens, then </think> for closed rows.
    const auto mask = gen.logProbMask;
    const auto inTrace = torch::arange(out.traceMask.size(1)).unsqueeze(0) < gen.lengths.unsqueeze(1);
    QVERIFY(mask.equal(out.traceMask & (inTrace | gen.closed.unsqueeze(1))));
    QVERIFY(relErr(gen.logProbs.masked_select(mask), lp.masked_select(mask)) < 1e-5);
    QCOMPARE(out.embedding.size(0), batch.size());
  }

  void reasoningOffHasNoTraces() {
    auto cfg = microConfig();
    cfg.reasoning = false;
    MoonModel model(cfg);
    QVERIFY_THROWS_EXCEPTION(Error, generateTraces(*model, makeBatch(cfg, mixedRows(), 26), GenerationOptions{}));
  }
};

QTEST_GUILESS_MAIN(TestModelGeneration)
#include "test_model_generation.moc"
