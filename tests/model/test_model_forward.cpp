// Teacher-forced forward of the MOON model: shapes for every modality mix,
// padding invariance, causality, attention weights, and the ablation
// switches reducing exactly to the plain model.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"
#include "core/base/Error.h"
#include "model/ModelSummary.h"

using namespace moon;
using namespace moon::test;

class TestModelForward : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(1); }

  void presetsHaveTheAdvertisedSize() {
    MoonModel micro(modelPreset("micro"));
    int64_t n = 0;
    for (const auto& p : micro->parameters()) n += p.numel();
    QVERIFY2(n < 1'000'000, qPrintable(QString::number(n)));
    MoonModel tiny(modelPreset("tiny"));
    int64_t t = 0;
    for (const auto& b : parameterCounts(*tiny)) t += b.count;
    QVERIFY2(t > 1'000'000 && t < 10'000'000, qPrintable(QString::number(t)));
    QVERIFY(formatModelSummary(*tiny).find("fire") != std::string::npos);
    QVERIFY_THROWS_EXCEPTION(ConfigError, modelPreset("huge"));
  }

  void invalidSizesAreConfigErrors() {
    auto cfg = microConfig();
    cfg.vision.image_size = 36;  // not a multiple of the patch
    QVERIFY_THROWS_EXCEPTION(ConfigError, validateModelConfig(cfg));
    cfg = microConfig();
    cfg.language.kv_heads = 3;
    try {
      validateModelConfig(cfg);
      QFAIL("kv_heads 3 accepted");
    } catch (const ConfigError& e) {
      QVERIFY(std::string(e.what()).find("language.kv_heads") != std::string::npos);
    }
    cfg = microConfig();
    applyOverride(cfg, "fire.every=2");
    validateModelConfig(cfg);
    QCOMPARE(cfg.fireLayers(), std::vector<int>{1});
  }

  void shapesForEveryModalityAndBatchSize() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    const std::vector<RowSpec> kinds = {{true, 4, 3}, {true, 0, 2}, {false, 6, 0}};
    for (int64_t B : {1, 2, 4}) {
      for (size_t k = 0; k < kinds.size(); ++k) {
        std::vector<RowSpec> rows(static_cast<size_t>(B), kinds[k]);
        const auto batch = makeBatch(cfg, rows, 10 + B);
        const auto out = model->forward(batch);
        const int64_t Lr = kinds[k].trace;
        QCOMPARE(out.embedding.sizes().vec(), (std::vector<int64_t>{B, cfg.embed_dim}));
        QCOMPARE(out.discEmbedding.sizes().vec(), (std::vector<int64_t>{B, cfg.embed_dim}));
        QVERIFY(relErr(out.embedding.norm(2, 1), torch::ones({B})) < 1e-6);
        QCOMPARE(out.traceLogits.sizes().vec(), (std::vector<int64_t>{B, Lr + 1, cfg.language.vocab_size}));
        QCOMPARE(out.traceMask.sum().item<int64_t>(), B * (Lr + 1));
        QCOMPARE(out.gates.sizes().vec(), (std::vector<int64_t>{B, 3, cfg.mmf.heads}));
        // Gates sum to 1 over the sets present, and an absent set gets exactly 0.
        QVERIFY(relErr(out.gates.sum({1, 2}), torch::ones({B})) < 1e-6);
        const auto perSet = out.gates.sum(2);
        QCOMPARE(perSet.select(1, 0).gt(0).all().item<bool>(), kinds[k].image);
        QCOMPARE(perSet.select(1, 1).gt(0).all().item<bool>(), kinds[k].title > 0);
        QCOMPARE(perSet.select(1, 2).gt(0).all().item<bool>(), kinds[k].trace > 0);
        const int64_t expectedLength = 1 + (kinds[k].image ? cfg.imageTokens() + 2 : 0) + kinds[k].title + 2 + Lr + 2;
        QCOMPARE(out.layout.length(), expectedLength);
      }
    }
  }

  void paddedMixedBatchEqualsItemsOneByOne() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 3);
    const auto all = model->forward(batch);
    for (int64_t i = 0; i < batch.size(); ++i) {
      const auto one = model->forward(sliceRow(batch, i));
      const int64_t n = batch.traceLengths[i].item<int64_t>() + 1;
      QVERIFY2(relErr(all.embedding[i], one.embedding[0]) < 1e-5, qPrintable(QString("row %1").arg(i)));
      QVERIFY(relErr(all.discEmbedding[i], one.discEmbedding[0]) < 1e-5);
      QVERIFY(relErr(all.gates[i], one.gates[0]) < 1e-5);
      QVERIFY(relErr(all.traceLogits[i].narrow(0, 0, n), one.traceLogits[0].narrow(0, 0, n)) < 1e-5);
      QVERIFY(all.traceTargets[i].narrow(0, 0, n).equal(one.traceTargets[0].narrow(0, 0, n)));
    }
  }

  void laterTokensNeverChangeEarlierOutputs() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    auto batch = makeBatch(cfg, {{true, 4, 6}, {false, 3, 6}}, 5);
    const auto before = model->forward(batch);
    const int64_t j = 3;  // change trace token 3 of every row
    batch.traceIds.select(1, j).add_(1);
    const auto after = model->forward(batch);
    // Column c predicts token c from tokens < c: columns <= j are unaffected.
    QVERIFY(relErr(after.traceLogits.narrow(1, 0, j + 1), before.traceLogits.narrow(1, 0, j + 1)) == 0.0);
    QVERIFY(relErr(after.traceLogits.narrow(1, j + 1, 1), before.traceLogits.narrow(1, j + 1, 1)) > 1e-4);
    QVERIFY(relErr(after.discEmbedding, before.discEmbedding) == 0.0);  // <disc_emb> precedes the trace
    QVERIFY(relErr(after.embedding, before.embedding) > 1e-6);          // <emb> follows it
  }

  void attentionRowsSumToOneAndIgnorePadding() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 7);
    ForwardOptions opts;
    opts.attention = true;
    const auto out = model->forward(batch, opts);
    QCOMPARE(static_cast<int>(out.attention.size()), cfg.language.layers);
    const auto& lay = out.layout;
    const auto validQ = lay.valid.unsqueeze(1).unsqueeze(-1);  // [B,1,L,1]
    const auto validK = lay.valid.unsqueeze(1).unsqueeze(2);   // [B,1,1,L]
    for (const auto& a : out.attention) {
      QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{batch.size(), cfg.language.heads, lay.length(), lay.length()}));
      const auto sums = a.sum(-1).masked_select(validQ.squeeze(-1).expand({-1, cfg.language.heads, -1}));
      QVERIFY(relErr(sums, torch::ones_like(sums)) < 1e-6);
      QVERIFY(a.masked_select(validQ & ~validK).abs().max().item<double>() == 0.0);
      const auto future = torch::ones({lay.length(), lay.length()}, torch::kBool).triu(1);
      QVERIFY(a.masked_select(validQ & future).abs().max().item<double>() == 0.0);  // causal
    }
  }

  void fireWithZeroAlphaAndMmfOffIsThePlainModel() {
    auto plainCfg = microConfig();
    plainCfg.fire.enabled = false;
    plainCfg.mmf.enabled = false;
    auto fireCfg = plainCfg;
    fireCfg.fire.enabled = true;
    MoonModel fire(fireCfg), plain(plainCfg);
    copyMatching(*fire, *plain);
    fire->eval();
    plain->eval();
    const auto batch = makeBatch(plainCfg, mixedRows(), 11);
    const auto a = fire->forward(batch), b = plain->forward(batch);
    QVERIFY(relErr(a.embedding, b.embedding) == 0.0);
    QVERIFY(relErr(a.traceLogits, b.traceLogits) == 0.0);
    QVERIFY(!a.gates.defined());
    {
      torch::NoGradGuard g;
      for (auto& alpha : fire->fire()->alphas()) alpha.fill_(0.5);
    }
    QVERIFY(relErr(fire->forward(batch).embedding, b.embedding) > 1e-4);  // FIRE really acts once alpha moves
  }

  void mmfWithZeroOutputIsPlainPooling() {
    auto plainCfg = microConfig();
    plainCfg.mmf.enabled = false;
    auto mmfCfg = plainCfg;
    mmfCfg.mmf.enabled = true;
    MoonModel mmf(mmfCfg), plain(plainCfg);
    copyMatching(*mmf, *plain);
    mmf->eval();
    plain->eval();
    const auto batch = makeBatch(plainCfg, mixedRows(), 13);
    const auto expected = plain->forward(batch).embedding;
    QVERIFY(relErr(mmf->forward(batch).embedding, expected) > 1e-4);
    {
      torch::NoGradGuard g;
      for (auto& p : mmf->fusion()->named_parameters())
        if (p.key().rfind("out.", 0) == 0) p.value().zero_();
    }
    QVERIFY(relErr(mmf->forward(batch).embedding, expected) == 0.0);
  }

  void reasoningAndDiscSwitches() {
    auto cfg = microConfig();
    cfg.reasoning = false;
    cfg.disc_emb = false;
    MoonModel model(cfg);
    model->eval();
    const auto batch = makeBatch(cfg, mixedRows(), 17);
    const auto out = model->forward(batch);
    QCOMPARE(out.embedding.sizes().vec(), (std::vector<int64_t>{batch.size(), cfg.embed_dim}));
    QVERIFY(!out.discEmbedding.defined());
    QVERIFY(!out.traceLogits.defined());
    QVERIFY(out.gates.select(1, 2).abs().max().item<double>() == 0.0);
    // Without a think block the sequence ends with <emb> right after the input.
    const auto row0 = out.layout.ids[0];
    QCOMPARE(row0[out.layout.length() - 1].item<int64_t>(), SpecialTokenIds{}.embed);
    QVERIFY(!(out.layout.ids == SpecialTokenIds{}.think).any().item<bool>());
    for (int64_t i = 0; i < batch.size(); ++i)
      QVERIFY(relErr(out.embedding[i], model->forward(sliceRow(batch, i)).embedding[0]) < 1e-5);
  }

  void cloneIsIdenticalAndIndependent() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    model->eval();
    auto copy = cloneModel(*model);
    const auto batch = makeBatch(cfg, mixedRows(), 23);
    QVERIFY(relErr(copy->forward(batch).embedding, model->forward(batch).embedding) == 0.0);
    {
      torch::NoGradGuard g;
      copy->named_parameters()["emb_head.bias"].add_(1.0);
    }
    QVERIFY(relErr(copy->forward(batch).embedding, model->forward(batch).embedding) > 1e-3);
  }

  void inconsistentBatchesAreClearErrors() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    auto batch = makeBatch(cfg, {{true, 3, 2}}, 19);
    batch.titleIds[0][1] = cfg.language.vocab_size + 5;
    try {
      model->forward(batch);
      QFAIL("out-of-vocabulary id accepted");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("vocabulary") != std::string::npos, e.what());
    }
    batch = makeBatch(cfg, {{true, 3, 2}}, 19);
    batch.images = torch::zeros({1, 3, 16, 16});
    QVERIFY_THROWS_EXCEPTION(Error, model->forward(batch));
    batch = makeBatch(cfg, {{true, 3, 2}}, 19);
    batch.traceLengths[0] = 99;
    QVERIFY_THROWS_EXCEPTION(Error, model->forward(batch));
  }
};

QTEST_GUILESS_MAIN(TestModelForward)
#include "test_model_forward.moc"
