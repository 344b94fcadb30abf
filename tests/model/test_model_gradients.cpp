// Gradients: every trainable parameter receives one under each ablation
// switch, and a few are checked against central finite differences in double.

#include <QtTest/QtTest>

#include "ModelTestUtil.h"

using namespace moon;
using namespace moon::test;

namespace {

// A scalar touching every output: both embeddings, the trace logits and the gates.
torch::Tensor lossOf(const ModelOutput& out, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  const auto opts = torch::TensorOptions().dtype(out.embedding.scalar_type());
  auto loss = (out.embedding * torch::randn(out.embedding.sizes(), gen, opts)).sum();
  if (out.discEmbedding.defined())
    loss = loss + (out.discEmbedding * torch::randn(out.discEmbedding.sizes(), gen, opts)).sum();
  if (out.traceLogits.defined()) {
    const auto lp = torch::log_softmax(out.traceLogits, -1).gather(2, out.traceTargets.unsqueeze(-1)).squeeze(-1);
    loss = loss - lp.masked_select(out.traceMask).mean();
  }
  if (out.gates.defined()) loss = loss + (out.gates * torch::randn(out.gates.sizes(), gen, opts)).sum();
  return loss;
}

void openFireGates(MoonModel& model) {
  // alpha starts at 0, which (by design) blocks the gradient into the FIRE MLPs.
  if (!model->fire()) return;
  torch::NoGradGuard g;
  for (auto& a : model->fire()->alphas()) a.fill_(0.3);
}

}  // namespace

class TestModelGradients : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(3); }

  void gradientsReachEveryParameter_data() {
    QTest::addColumn<QString>("switches");
    QTest::newRow("full") << "";
    QTest::newRow("-mmf") << "mmf.enabled=false";
    QTest::newRow("-fire") << "fire.enabled=false";
    QTest::newRow("-reasoning") << "reasoning=false";
    QTest::newRow("-disc_emb") << "disc_emb=false";
    QTest::newRow("untied,fire every 2") << "language.tie_embeddings=false,fire.every=2";
    QTest::newRow("copy head") << "language.copy_head=true";
  }

  void gradientsReachEveryParameter() {
    QFETCH(QString, switches);
    auto cfg = microConfig();
    for (const auto& s : switches.split(',', Qt::SkipEmptyParts)) applyOverride(cfg, s.toStdString());
    MoonModel model(cfg);
    openFireGates(model);
    model->train();
    const auto out = model->forward(makeBatch(cfg, mixedRows(), 31));
    lossOf(out, 1).backward();
    for (const auto& p : model->named_parameters()) {
      QVERIFY2(p.value().grad().defined(), qPrintable(QString::fromStdString(p.key()) + " has no gradient"));
      QVERIFY2(p.value().grad().abs().sum().item<double>() > 0,
               qPrintable(QString::fromStdString(p.key()) + " has a zero gradient"));
    }
  }

  void gradientsMatchFiniteDifferences() {
    const auto cfg = microConfig();
    MoonModel model(cfg);
    openFireGates(model);
    model->to(torch::kDouble);
    model->eval();  // no dropout anywhere, but keep the evaluation path
    const auto batch = makeBatch(cfg, mixedRows(), 32);
    auto loss = [&] { return lossOf(model->forward(batch), 2); };
    model->zero_grad();
    loss().backward();
    const auto params = model->named_parameters();
    const std::vector<std::string> names = {"vision.patch.weight",
                                            "vision.blocks.0.qkv.weight",
                                            "merger.fc2.bias",
                                            "language.embed.weight",
                                            "language.layers.1.attn.k.weight",
                                            "language.layers.0.mlp.gate.weight",
                                            "fire.layers.0.alpha",
                                            "fire.layers.1.fc1.weight",
                                            "mmf.reasoning_v.weight",
                                            "mmf.gate.bias",
                                            "emb_head.weight",
                                            "disc_head.bias"};
    torch::NoGradGuard g;
    for (const auto& name : names) {
      const auto* found = params.find(name);
      QVERIFY2(found, name.c_str());
      auto p = *found;
      auto flat = p.view({-1});
      // The entry with the largest gradient, so the difference is well above rounding.
      const int64_t i = p.grad().view({-1}).abs().argmax().item<int64_t>();
      const double analytic = p.grad().view({-1})[i].item<double>();
      const double h = 1e-6, x0 = flat[i].item<double>();
      flat[i] = x0 + h;
      const double up = loss().item<double>();
      flat[i] = x0 - h;
      const double down = loss().item<double>();
      flat[i] = x0;
      const double numeric = (up - down) / (2 * h);
      const double rel = std::abs(analytic - numeric) / std::max(std::abs(numeric), 1e-8);
      QVERIFY2(rel < 1e-5,
               qPrintable(QString("%1: analytic %2 numeric %3").arg(name.c_str()).arg(analytic).arg(numeric)));
    }
  }
};

QTEST_GUILESS_MAIN(TestModelGradients)
#include "test_model_gradients.moc"
