// The PyTorch peer runs the same algorithm as the C++ trainer (issue #16):
// from the same initial weights (the safetensors the C++ side writes) and the
// same batch, python/parity_step.py's losses after one and after three AdamW
// steps agree with bench_train's step to a relative 1e-4, and a peer that is
// not the same model (other parameters) fails rather than prints.

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "RequireTool.h"
#include "TrainStepSetup.h"
#include "core/config/Config.h"
#include "model/checkpoint/TensorRecords.h"

using namespace moon;
using namespace moon::bench;

namespace {

constexpr int kSteps = 3;

bool pythonHasTorch() {
  QProcess p;
  p.start("/usr/bin/python3", {"-c", "import torch"});
  return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void addProducts(std::vector<TensorRecord>& out, const std::string& side, const ProductBatch& p) {
  out.push_back(tensorToRecord(side + ".images", p.images));
  out.push_back(tensorToRecord(side + ".title_ids", p.titleIds));
  out.push_back(tensorToRecord(side + ".trace_ids", p.traceIds));
  out.push_back(tensorToRecord(side + ".has_image", p.hasImage.to(torch::kBool)));
  out.push_back(tensorToRecord(side + ".title_len", p.titleLengths.to(torch::kLong)));
  out.push_back(tensorToRecord(side + ".trace_len", p.traceLengths.to(torch::kLong)));
}

// Writes what parity_step.py reads: setup.json, weights.safetensors, batch.safetensors.
void writePeerInputs(const QString& dir, TrainStepSetup& s, std::vector<TensorRecord> weights) {
  const auto& c = s.cfg;
  const auto& sp = s.model->specialTokens();
  nlohmann::json setup;
  setup["model"] = configToJson(c.model);
  setup["special"] = {{"pad", sp.pad},
                      {"bos", sp.bos},
                      {"image_start", sp.imageStart},
                      {"image_end", sp.imageEnd},
                      {"image_pad", sp.imagePad},
                      {"think", sp.think},
                      {"think_end", sp.thinkEnd},
                      {"emb", sp.embed},
                      {"disc", sp.discEmbed}};
  setup["optim"] = {{"lr", c.optim.lr},
                    {"betas", c.optim.betas},
                    {"eps", c.optim.eps},
                    {"weight_decay", c.optim.weight_decay},
                    {"grad_clip", c.optim.grad_clip}};
  setup["temperature"] = {{"min", c.contrastive.temperature.min}, {"max", c.contrastive.temperature.max}};
  setup["loss"] = {{"weight_emb", c.contrastive.weight_emb},
                   {"weight_disc", c.contrastive.weight_disc},
                   {"weight_align", c.contrastive.weight_align},
                   {"sft_weight", c.sft.weight},
                   {"hard_negatives", c.contrastive.hard_negatives}};
  setup["steps"] = kSteps;
  setup["threads"] = 1;
  std::ofstream((dir + "/setup.json").toStdString()) << setup.dump(2);
  writeSafetensors((dir + "/weights.safetensors").toStdString(), weights);
  std::vector<TensorRecord> batch;
  addProducts(batch, "q", s.batch.query);
  addProducts(batch, "p", s.batch.positive);
  addProducts(batch, "n", s.batch.negative);
  writeSafetensors((dir + "/batch.safetensors").toStdString(), batch);
}

std::vector<TensorRecord> initialWeights(TrainStepSetup& s) {
  auto weights = moduleRecords(*s.model);
  weights.push_back(tensorToRecord("logit_scale", s.scale->logScale.detach()));
  return weights;
}

struct PeerRun {
  int exitCode = -1;
  int64_t params = -1;
  std::map<int, double> losses;
  QString output;
};

PeerRun runPeer(const QString& dir) {
  QProcess p;
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start("/usr/bin/python3", {MOON_BENCH_PYTHON_DIR "/parity_step.py", dir});
  PeerRun run;
  if (!p.waitForFinished(300000)) return run;
  run.exitCode = p.exitCode();
  run.output = QString::fromUtf8(p.readAll());
  for (const QString& line : run.output.split('\n')) {
    const auto f = line.split(' ', Qt::SkipEmptyParts);
    if (f.size() == 2 && f[0] == "params") run.params = f[1].toLongLong();
    if (f.size() == 3 && f[0] == "loss") run.losses[f[1].toInt()] = f[2].toDouble();
  }
  return run;
}

int64_t parameterCount(const TrainStepSetup& s) {
  int64_t n = 0;
  for (const auto& p : s.params) n += p.numel();
  return n;
}

}  // namespace

class TestPeerParity : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    MOON_REQUIRE_TOOL(pythonHasTorch(), "python3-torch");
    torch::set_num_threads(1);  // both sides single-threaded: the same reduction order
  }

  void lossesAgreeAfterOneAndThreeAdamWSteps_data() {
    QTest::addColumn<QString>("preset");
    QTest::newRow("micro") << "micro";  // grouped-query attention, FIRE, MMF, all loss terms
    QTest::newRow("tiny") << "tiny";    // the benchmarked preset: three query heads per key head
  }

  void lossesAgreeAfterOneAndThreeAdamWSteps() {
    QFETCH(QString, preset);
    auto s = makeTrainStepSetup(trainPreset(preset.toStdString()));
    QTemporaryDir dir;
    writePeerInputs(dir.path(), *s, initialWeights(*s));

    std::vector<double> ours;
    for (int k = 0; k < kSteps; ++k) ours.push_back(trainStep(*s));
    ours.push_back(stageOneLoss(*s->model, *s->scale, s->batch, s->cfg).total.item<double>());

    const PeerRun peer = runPeer(dir.path());
    QVERIFY2(peer.exitCode == 0, qPrintable(peer.output));
    QCOMPARE(peer.params, parameterCount(*s));
    QCOMPARE(static_cast<int>(peer.losses.size()), kSteps + 1);
    for (int k : {0, 1, kSteps}) {
      const double rel = std::abs(peer.losses.at(k) - ours[static_cast<size_t>(k)]) / std::abs(ours[k]);
      qInfo("%s, after %d AdamW steps: C++ %.9g, PyTorch %.9g, relative difference %.2g", qPrintable(preset), k,
            ours[static_cast<size_t>(k)], peer.losses.at(k), rel);
      QVERIFY2(rel < 1e-4, qPrintable(QString("%1, loss after %2 AdamW steps: C++ %3, PyTorch %4 (relative %5)")
                                          .arg(preset)
                                          .arg(k)
                                          .arg(ours[k], 0, 'g', 10)
                                          .arg(peer.losses.at(k), 0, 'g', 10)
                                          .arg(rel)));
    }
    // The steps moved the weights: agreement is not two copies of one number.
    QVERIFY(std::abs(ours[kSteps] - ours[0]) > 1e-3 * std::abs(ours[0]));
  }

  void anotherModelFailsInsteadOfComparing_data() {
    QTest::addColumn<QString>("change");
    QTest::newRow("missing parameter") << "missing";
    QTest::newRow("extra parameter") << "extra";
    QTest::newRow("other shape") << "shape";
  }

  void anotherModelFailsInsteadOfComparing() {
    QFETCH(QString, change);
    auto s = makeTrainStepSetup(trainPreset("micro"));
    auto weights = initialWeights(*s);
    auto named = [&](const std::string& name) {
      return std::find_if(weights.begin(), weights.end(), [&](const TensorRecord& r) { return r.name == name; });
    };
    QVERIFY(named("emb_head.bias") != weights.end());
    if (change == "missing") weights.erase(named("emb_head.bias"));
    if (change == "extra") weights.push_back(tensorToRecord("emb_head.extra", torch::zeros({4})));
    if (change == "shape") *named("emb_head.bias") = tensorToRecord("emb_head.bias", torch::zeros({3}));
    QTemporaryDir dir;
    writePeerInputs(dir.path(), *s, weights);
    const PeerRun peer = runPeer(dir.path());
    QCOMPARE(peer.exitCode, 2);
    QVERIFY2(peer.output.contains("weights do not fit the peer"), qPrintable(peer.output));
    QVERIFY(peer.losses.empty());
  }
};

QTEST_GUILESS_MAIN(TestPeerParity)
#include "test_peer_parity.moc"
