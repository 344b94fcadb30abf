#include <QtTest>

#include <torch/torch.h>

#include "TrainerFixture.h"
#include "core/base/Logging.h"
#include "training/trainer/Trainer.h"

using namespace moon;

// The regression this protects: the stage-1 objective actually trains the
// network (the contrastive loss falls on a fixed seed), not just runs.
class TestTrainerLearns : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void contrastiveLossFallsOverAHundredSteps() {
    setStderrLogLevel(spdlog::level::warn);
    TrainerFixture fx(32);
    Workspace ws = Workspace::open(fx.workspaceDir, true);
    TrainerSetup setup;
    setup.config = fx.microConfig(100);
    setup.config.loader.batchSize = 8;
    setup.config.checkpoint = {0, 1};
    QElapsedTimer timer;
    timer.start();
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Completed);
    const auto emb = metricValues(ws, t.runId(), "train/loss_emb");
    const auto sft = metricValues(ws, t.runId(), "train/loss_sft");
    QCOMPARE(emb.size(), size_t(100));
    const double embFirst = meanOf(emb, 0, 20), embLast = meanOf(emb, 80, 100);
    const double sftFirst = meanOf(sft, 0, 20), sftLast = meanOf(sft, 80, 100);
    qInfo("loss_emb %.4f -> %.4f, loss_sft %.4f -> %.4f in %.1f s", embFirst, embLast, sftFirst, sftLast,
          timer.elapsed() / 1000.0);
    QVERIFY(embLast < 0.85 * embFirst);
    QVERIFY(sftLast < 0.9 * sftFirst);
  }
};

QTEST_GUILESS_MAIN(TestTrainerLearns)
#include "test_trainer_learns.moc"
