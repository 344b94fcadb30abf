// The pointer-generator copy head (model/language/CopyHead.h): what it returns
// is a distribution, it leaves rows without a title to the LM head, a closed
// gate puts all mass on the row's own title tokens, generation reports how
// much of each token was copied, and copying a title token becomes learnable
// in few steps where the plain decoder has not learnt it.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"
#include "model/generation/TraceGenerator.h"

using namespace moon;
using namespace moon::test;

namespace {

ModelConfig copyConfig(bool copyHead) {
  auto cfg = microConfig();
  cfg.language.copy_head = copyHead;
  return cfg;
}

// A handle on the parameter's storage (named_parameters() returns a temporary dict).
torch::Tensor parameter(MoonModel& model, const std::string& name) {
  const auto params = model->named_parameters();
  const auto* p = params.find(name);
  if (!p) qFatal("no parameter %s", name.c_str());
  return *p;
}

// Each row's title is random; its trace is the title's second token, twice.
ProductBatch copyTask(const ModelConfig& cfg, int64_t rows, uint64_t seed) {
  std::vector<RowSpec> spec(static_cast<size_t>(rows), RowSpec{false, 4, 2});
  auto batch = makeBatch(cfg, spec, seed);
  const auto second = batch.titleIds.select(1, 1).unsqueeze(1);
  batch.traceIds = second.repeat({1, 2});
  return batch;
}

double copyAccuracy(MoonModel& model, const ProductBatch& batch) {
  torch::NoGradGuard g;
  const auto out = model->forward(batch);
  const auto hit = out.traceLogits.argmax(-1).eq(out.traceTargets);
  const auto inTrace = torch::arange(out.traceMask.size(1)).unsqueeze(0) < batch.traceLengths.unsqueeze(1);
  return hit.masked_select(inTrace).to(torch::kDouble).mean().item<double>();
}

double trainCopying(bool copyHead, int steps) {
  torch::manual_seed(11);
  const auto cfg = copyConfig(copyHead);
  MoonModel model(cfg);
  model->train();
  torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions(3e-3));
  for (int s = 0; s < steps; ++s) {
    const auto out = model->forward(copyTask(cfg, 32, 100 + uint64_t(s)));
    const auto loss = torch::nll_loss(torch::log_softmax(out.traceLogits, -1).flatten(0, 1), out.traceTargets.flatten(),
                                      {}, at::Reduction::Mean, /*ignore_index=*/0);
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  model->eval();
  return copyAccuracy(model, copyTask(cfg, 256, 7));
}

}  // namespace

class TestCopyHead : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(5); }

  void scoresAreLogProbabilities() {
    const auto cfg = copyConfig(true);
    MoonModel model(cfg);
    const auto out = model->forward(makeBatch(cfg, mixedRows(), 41));
    const auto total = out.traceLogits.exp().sum(-1);
    QVERIFY(out.traceLogits.le(0).all().item<bool>());
    QVERIFY(total.sub(1).abs().max().item<double>() < 1e-4);
  }

  void rowsWithoutATitleKeepTheLmHead() {
    MoonModel withCopy(copyConfig(true)), plain(copyConfig(false));
    copyMatching(*withCopy, *plain);
    const auto cfg = copyConfig(true);
    const auto batch = makeBatch(cfg, mixedRows(), 42);
    const auto a = withCopy->forward(batch).traceLogits, b = torch::log_softmax(plain->forward(batch).traceLogits, -1);
    for (int64_t row = 0; row < batch.size(); ++row) {
      const bool titled = batch.titleLengths[row].item<int64_t>() > 0;
      const double err = relErr(a[row].exp(), b[row].exp());
      if (titled)
        QVERIFY2(err > 1e-3, qPrintable(QString("row %1 has a title but copies nothing").arg(row)));
      else
        QVERIFY2(err < 1e-5, qPrintable(QString("row %1 has no title but differs: %2").arg(row).arg(err)));
    }
  }

  void aClosedGateCopiesOnlyTitleTokens() {
    const auto cfg = copyConfig(true);
    MoonModel model(cfg);
    {
      torch::NoGradGuard g;
      parameter(model, "copy.gate.bias").fill_(-40.0);  // g = sigmoid(-40): copy only
      parameter(model, "copy.gate.weight").zero_();
    }
    const auto batch = makeBatch(cfg, mixedRows(), 43);
    const auto probs = model->forward(batch).traceLogits.exp();
    for (int64_t row = 0; row < batch.size(); ++row) {
      const int64_t lt = batch.titleLengths[row].item<int64_t>();
      if (lt == 0) continue;
      const auto title = std::get<0>(at::_unique(batch.titleIds[row].narrow(0, 0, lt)));
      const auto onTitle = probs[row].index_select(-1, title).sum(-1);
      QVERIFY2(onTitle.sub(1).abs().max().item<double>() < 1e-4, qPrintable(QString("row %1").arg(row)));
    }
  }

  // The share of each generated token that came from the title: all of it
  // through a closed gate, none through an open one or without a title.
  void generationReportsTheCopiedShare() {
    const auto cfg = copyConfig(true);
    MoonModel model(cfg);
    auto prompts = makeBatch(cfg, mixedRows(), 44);
    prompts.traceLengths.zero_();
    GenerationOptions options;
    options.maxTokens = 6;
    auto sharesWithGate = [&](double bias) {
      {
        torch::NoGradGuard g;
        parameter(model, "copy.gate.bias").fill_(bias);
        parameter(model, "copy.gate.weight").zero_();
      }
      return generateTraces(*model, prompts, options);
    };
    for (const double bias : {-40.0, 40.0}) {
      const auto gen = sharesWithGate(bias);
      QVERIFY(gen.copyShare.defined());
      for (int64_t row = 0; row < prompts.size(); ++row) {
        const int64_t n = gen.lengths[row].item<int64_t>();
        const bool titled = prompts.titleLengths[row].item<int64_t>() > 0;
        const double expected = titled && bias < 0 ? 1.0 : 0.0;
        for (int64_t t = 0; t < n; ++t)
          QVERIFY2(std::abs(gen.copyShare[row][t].item<double>() - expected) < 1e-4,
                   qPrintable(QString("gate bias %1, row %2, token %3: %4")
                                  .arg(bias)
                                  .arg(row)
                                  .arg(t)
                                  .arg(gen.copyShare[row][t].item<double>())));
      }
    }

    // A gate in between (g = 0.5): a token gets a share exactly when the
    // row's title holds it, and the share is a proportion.
    const auto gen = sharesWithGate(0.0);
    int titleTokens = 0;
    for (int64_t row = 0; row < prompts.size(); ++row) {
      const int64_t lt = prompts.titleLengths[row].item<int64_t>();
      const auto title = prompts.titleIds[row].narrow(0, 0, lt);
      for (int64_t t = 0; t < gen.lengths[row].item<int64_t>(); ++t) {
        const double share = gen.copyShare[row][t].item<double>();
        const bool inTitle = lt > 0 && title.eq(gen.tokens[row][t]).any().item<bool>();
        titleTokens += inTitle;
        QVERIFY2(
            inTitle ? share > 0.0 && share <= 1.0 : share == 0.0,
            qPrintable(QString("row %1, token %2: share %3, in title %4").arg(row).arg(t).arg(share).arg(inTitle)));
      }
    }
    QVERIFY(titleTokens > 0);  // the half-open gate does copy
  }

  void copyingATitleTokenIsLearntQuickly() {
    const int steps = 60;
    const double withCopy = trainCopying(true, steps), plain = trainCopying(false, steps);
    qInfo("copy accuracy after %d steps: copy head %.3f, LM head alone %.3f", steps, withCopy, plain);
    QVERIFY2(withCopy > 0.9, qPrintable(QString::number(withCopy)));
    QVERIFY2(withCopy > plain + 0.3, qPrintable(QString("%1 vs %2").arg(withCopy).arg(plain)));
  }
};

QTEST_GUILESS_MAIN(TestCopyHead)
#include "test_copy_head.moc"
