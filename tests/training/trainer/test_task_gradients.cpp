// optim.task_balance (training/trainer/TaskGradients.h): each task's gradient
// measured on its own, then summed, equalised in norm, or projected where the
// tasks conflict; and stage 1 splits its loss into the tasks it balances.

#include <QtTest>

#include "RandomTriplets.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/losses/LogitScale.h"
#include "training/trainer/StageOneLoss.h"
#include "training/trainer/TaskGradients.h"

using namespace moon;

namespace {

// Two tasks on one parameter vector w: a(w) = ga·w, b(w) = gb·w, so their
// gradients are exactly ga and gb.
struct LinearTasks {
  torch::Tensor w = torch::zeros({3}, torch::requires_grad());
  TaskLosses losses(const torch::Tensor& ga, const torch::Tensor& gb) const {
    return {{"a", (ga * w).sum()}, {"b", (gb * w).sum()}};
  }
};

}  // namespace

class TestTaskGradients : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void sumIsThePlainGradientAndMeasuresEachTask() {
    LinearTasks t;
    const auto ga = torch::tensor({3.0, 0.0, 0.0}), gb = torch::tensor({0.0, 4.0, 0.0});
    const auto stats = backwardTasks(t.losses(ga, gb), {t.w}, "sum", 0.5);
    QVERIFY(torch::allclose(t.w.grad(), 0.5 * (ga + gb)));
    QCOMPARE(stats.norms.at("a"), 3.0);
    QCOMPARE(stats.norms.at("b"), 4.0);
    QCOMPARE(stats.cosine, 0.0);
  }

  void normalizeGivesEveryTaskTheMeanNorm() {
    LinearTasks t;
    // The trace task's gradient a fiftieth of the contrastive one (what the demo run measured).
    const auto ga = torch::tensor({0.2, 0.0, 0.0}), gb = torch::tensor({0.0, 10.0, 0.0});
    backwardTasks(t.losses(ga, gb), {t.w}, "normalize", 1.0);
    const double mean = (0.2 + 10.0) / 2;
    QVERIFY(torch::allclose(t.w.grad(), torch::tensor({mean, mean, 0.0})));
  }

  void pcgradRemovesOnlyTheConflictingComponent() {
    LinearTasks t;
    const auto ga = torch::tensor({1.0, 1.0, 0.0}), gb = torch::tensor({-1.0, 0.0, 0.0});
    const auto stats = backwardTasks(t.losses(ga, gb), {t.w}, "pcgrad", 1.0);
    QVERIFY(stats.cosine < 0);
    // a loses its part along b: (0, 1, 0); b loses its part along a: (-0.5, 0.5, 0).
    QVERIFY(torch::allclose(t.w.grad(), torch::tensor({-0.5, 1.5, 0.0})));

    LinearTasks agreeing;  // no conflict: the plain sum
    const auto gc = torch::tensor({1.0, 2.0, 0.0});
    backwardTasks(agreeing.losses(ga, gc), {agreeing.w}, "pcgrad", 1.0);
    QVERIFY(torch::allclose(agreeing.w.grad(), ga + gc));
  }

  void gradientsAddToWhatIsThereAndSkipUnreachedParameters() {
    LinearTasks t;
    const auto unreached = torch::zeros({2}, torch::requires_grad());
    (t.w * torch::tensor({1.0, 1.0, 1.0})).sum().backward();  // an earlier micro-batch
    backwardTasks(t.losses(torch::tensor({1.0, 0.0, 0.0}), torch::tensor({0.0, 1.0, 0.0})), {t.w, unreached},
                  "normalize", 1.0);
    QVERIFY(torch::allclose(t.w.grad(), torch::tensor({2.0, 2.0, 1.0})));
    QVERIFY(!unreached.grad().defined());
  }

  void stageOneSplitsItsTotalIntoTraceAndContrastive() {
    TrainConfig cfg = trainPreset("micro");
    MoonModel model(cfg.model);
    LogitScale scale(cfg.contrastive.temperature);
    const TripletBatch batch = test::randomTriplets(cfg.model, 4, 5);
    const LossParts parts = stageOneLoss(*model, *scale, batch, cfg);
    QCOMPARE(int(parts.tasks.size()), 2);
    torch::Tensor sum = torch::zeros({});
    for (const auto& [name, loss] : parts.tasks) {
      QVERIFY(name == "trace" || name == "contrastive");
      sum = sum + loss;
    }
    QVERIFY(torch::allclose(sum, parts.total, 1e-5, 1e-6));
    // The trace task is the weighted next-token loss.
    for (const auto& [name, loss] : parts.tasks)
      if (name == "trace")
        QVERIFY(std::abs(loss.item<double>() - cfg.sft.weight * parts.numbers.at("loss_sft")) < 1e-5);
  }

  void ownGreedyTracesFeedTheContrastiveTerms() {
    TrainConfig cfg = trainPreset("micro");
    cfg.contrastive.query_traces = "greedy";
    MoonModel model(cfg.model);
    LogitScale scale(cfg.contrastive.temperature);
    const TripletBatch batch = test::randomTriplets(cfg.model, 4, 5);
    const LossParts own = stageOneLoss(*model, *scale, batch, cfg);
    QVERIFY(own.numbers.count("own_trace_len"));
    QVERIFY(own.numbers.at("own_trace_len") >= 0 && own.numbers.at("own_trace_len") <= cfg.model.max_trace_tokens);
    cfg.contrastive.query_traces = "target";
    const LossParts target = stageOneLoss(*model, *scale, batch, cfg);
    // The same next-token loss on the targets; <emb> follows a different trace.
    QVERIFY(std::abs(own.numbers.at("loss_sft") - target.numbers.at("loss_sft")) < 1e-6);
    QVERIFY(std::abs(own.numbers.at("loss_emb") - target.numbers.at("loss_emb")) > 1e-6);
    // <disc_emb> comes before any trace: the same either way.
    QVERIFY(std::abs(own.numbers.at("loss_disc") - target.numbers.at("loss_disc")) < 1e-4);
  }
};

QTEST_APPLESS_MAIN(TestTaskGradients)
#include "test_task_gradients.moc"
