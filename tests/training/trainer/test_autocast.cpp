// bf16 autocast of the training forward (TrainConfig::autocast, issue #16):
// which runs use it, and that a stage-1 loss under CPU autocast is finite,
// close to fp32, and keeps the embeddings and similarities in fp32.

#include <QtTest>

#include "RandomTriplets.h"
#include "model/MoonModel.h"
#include "model/runtime/Bf16Autocast.h"
#include "model/runtime/CpuFeatures.h"
#include "training/TrainConfig.h"
#include "training/losses/LogitScale.h"
#include "training/trainer/StageOneLoss.h"
#include "training/trainer/TrainingStep.h"

using namespace moon;

class TestAutocast : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void autoUsesBf16OnlyWhereItWasMeasuredFaster() {
    const torch::Device cpu(torch::kCPU);
    TrainConfig micro = trainPreset("micro"), tiny = trainPreset("tiny");
    QCOMPARE(micro.autocast, std::string("auto"));
    QVERIFY(!trainsInBf16(micro, cpu));  // 64 wide: the casts cost more than the GEMMs gain
    QCOMPARE(trainsInBf16(tiny, cpu), cpuHasNativeBf16());
    tiny.autocast = "off";
    QVERIFY(!trainsInBf16(tiny, cpu));
    micro.autocast = "bf16";
    QVERIFY(trainsInBf16(micro, cpu));
    QVERIFY(trainsInBf16(trainPreset("micro"), torch::Device(torch::kCUDA)));
  }

  void aStageOneLossUnderCpuAutocastStaysCloseToFp32() {
    const TrainConfig cfg = trainPreset("micro");
    torch::manual_seed(0);
    MoonModel model(cfg.model);
    LogitScale scale(cfg.contrastive.temperature);
    const TripletBatch batch = test::randomTriplets(cfg.model, 6, 3);
    const double fp32 = stageOneLoss(*model, *scale, batch, cfg).total.item<double>();

    ModelOutput out;
    LossParts parts;
    {
      Bf16Autocast autocast(true, torch::kCPU);
      ForwardOptions options;
      options.traceLogits = true;
      out = model->forward(batch.query, options);
      parts = stageOneLoss(*model, *scale, batch, cfg);
    }

    // The heads run outside autocast (model/runtime/AutocastOff.h).
    QCOMPARE(out.embedding.scalar_type(), torch::kFloat);
    QCOMPARE(out.discEmbedding.scalar_type(), torch::kFloat);
    const double bf16 = parts.total.item<double>();
    QVERIFY2(std::isfinite(bf16), "the loss under autocast is not finite");
    QVERIFY2(std::abs(bf16 - fp32) < 0.05 * std::abs(fp32),
             qPrintable(QString("fp32 %1, bf16 autocast %2").arg(fp32).arg(bf16)));
    parts.total.backward();
    for (const auto& p : model->parameters())
      if (p.grad().defined()) QVERIFY(torch::isfinite(p.grad()).all().item<bool>());
  }
};

QTEST_GUILESS_MAIN(TestAutocast)
#include "test_autocast.moc"
