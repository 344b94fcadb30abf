#include <QtTest>

#include <torch/torch.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "TrainerFixture.h"
#include "core/base/Logging.h"
#include "training/checkpoint/Checkpoint.h"
#include "training/events/ValidationSamples.h"
#include "training/trainer/StopSignal.h"
#include "training/trainer/Trainer.h"

using namespace moon;
namespace fs = std::filesystem;

class TestTrainer : public QObject {
  Q_OBJECT
  std::unique_ptr<TrainerFixture> fx;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    fx = std::make_unique<TrainerFixture>(32);
  }

  void shortRunWritesMetricsEventsAndCheckpoints() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/short", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(6);
    setup.config.eval.every = 3;
    setup.config.checkpoint = {2, 1};
    setup.name = "short";
    std::vector<TrainEvent> events;
    setup.hooks.onEvent = [&](const TrainEvent& e) { events.push_back(e); };
    Trainer trainer(ws, setup);
    QCOMPARE(trainer.run(), TrainOutcome::Completed);

    const auto run = ws.store().run(trainer.runId());
    QVERIFY(run);
    QCOMPARE(run->status, RunStatus::Completed);
    QCOMPARE(run->stepsDone, int64_t(6));
    QVERIFY(run->heartbeatAt.has_value());
    QCOMPARE(QString::fromStdString(run->bestMetricName), QString("val/R@10"));
    QVERIFY(fs::exists(ws.configPath(trainer.runId())));

    for (const char* key : {"train/loss", "train/loss_emb", "train/loss_disc", "train/loss_sft", "train/loss_align",
                            "train/lr", "train/temperature", "train/samples_per_s"})
      QCOMPARE(metricValues(ws, trainer.runId(), key).size(), size_t(6));
    QCOMPARE(metricValues(ws, trainer.runId(), "val/R@10").size(), size_t(2));  // steps 3 and 6
    const auto lr = metricValues(ws, trainer.runId(), "train/lr");
    QVERIFY(lr[0] > 0 && lr[0] <= setup.config.optim.lr);

    int steps = 0, evals = 0, checkpoints = 0;
    for (const auto& e : events) {
      steps += e.kind == TrainEventKind::Step;
      evals += e.kind == TrainEventKind::Eval;
      checkpoints += e.kind == TrainEventKind::Checkpoint;
      if (e.kind == TrainEventKind::Step) {
        QVERIFY(e.has(event_key::kLoss) && e.has(event_key::kLr) && e.has(event_key::kEtaS));
        QVERIFY(e.has("loss_emb") && e.has("loss_disc") && e.has(event_key::kSamplesPerS));
      }
    }
    QCOMPARE(steps, 6);
    QCOMPARE(evals, 2);
    QVERIFY(checkpoints >= 3);
    QCOMPARE(events.front().kind, TrainEventKind::Started);
    QCOMPARE(events.back().kind, TrainEventKind::Completed);

    // The same events in the run's events.jsonl.
    std::ifstream in(ws.eventsPath(trainer.runId()));
    std::string line;
    size_t lines = 0;
    while (std::getline(in, line)) {
      QVERIFY(parseTrainEvent(line).ok());
      ++lines;
    }
    QCOMPARE(lines, events.size());

    // keep_last 1 plus the best one; each row's folder is a whole checkpoint.
    const auto rows = ws.store().checkpoints(trainer.runId());
    QVERIFY(rows.size() >= 1 && rows.size() <= 2);
    QCOMPARE(rows.back().step, int64_t(6));
    int best = 0;
    for (const auto& r : rows) {
      best += r.isBest;
      const auto c = readCheckpoint(ws.runDir(trainer.runId()) / r.path);
      QCOMPARE(c.state.step, r.step);
      QVERIFY(!c.model.empty() && !c.trainer.empty());
    }
    QCOMPARE(best, 1);
    int folders = 0;
    for (const auto& entry : fs::directory_iterator(ws.checkpointsDir(trainer.runId()))) {
      (void)entry;
      ++folders;
    }
    QCOMPARE(folders, int(rows.size()));
  }

  void baselineValidationAtStepZeroIsRecordedButNeverBest() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/baseline", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(2);
    setup.config.eval.every = 0;
    setup.config.eval.at_start = true;
    setup.config.checkpoint = {0, 1};
    Trainer trainer(ws, setup);
    QCOMPARE(trainer.run(), TrainOutcome::Completed);
    const auto points = ws.store().metrics(trainer.runId(), "val/R@10");
    QCOMPARE(points.size(), size_t(2));  // the baseline and the end of the run
    QCOMPARE(points[0].step, int64_t(0));
    QCOMPARE(points[1].step, int64_t(2));
    // Only the trained model's figure can be the run's best and have a checkpoint.
    const auto run = ws.store().run(trainer.runId());
    QCOMPARE(run->bestMetric.value_or(-1), points[1].value);
    for (const auto& row : ws.store().checkpoints(trainer.runId())) QCOMPARE(row.step, int64_t(2));
  }

  void resumedRunEndsWithTheSameWeights() {
    const int64_t total = 8;
    Workspace ws = Workspace::open(fx->workspaceDir + "/resume", true);
    TrainerSetup straight;
    straight.config = fx->microConfig(total);
    straight.config.checkpoint = {0, 2};
    Trainer a(ws, straight);
    QCOMPARE(a.run(), TrainOutcome::Completed);

    TrainerSetup first = straight;
    Trainer* self = nullptr;
    first.hooks.afterStep = [&](int64_t step) {
      if (step == 3) self->requestStop();
    };
    int64_t runId = 0;
    {
      Trainer b(ws, first);
      self = &b;
      QCOMPARE(b.run(), TrainOutcome::Stopped);
      QCOMPARE(b.stepsDone(), int64_t(3));
      runId = b.runId();
      QCOMPARE(ws.store().run(runId)->status, RunStatus::Stopped);
    }
    TrainerSetup resume;
    resume.resumeRunId = runId;
    Trainer c(ws, resume);
    QCOMPARE(c.stepsDone(), int64_t(3));
    QCOMPARE(c.run(), TrainOutcome::Completed);
    QCOMPARE(c.runId(), runId);

    const double diff = maxRelativeDifference(*a.model(), *c.model());
    qInfo("max relative weight difference after resume: %g", diff);
    QVERIFY(diff <= 1e-6);
    // The resumed run re-logged the same losses as the straight one.
    const auto la = metricValues(ws, a.runId(), "train/loss"), lc = metricValues(ws, runId, "train/loss");
    QCOMPARE(la.size(), lc.size());
    QVERIFY(std::abs(la.back() - lc.back()) <= 1e-6 * std::abs(la.back()));
  }

  void stopSignalFinishesTheStepAndCheckpoints() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/signal", true);
    installStopSignalHandlers();
    TrainerSetup setup;
    setup.config = fx->microConfig(50);
    setup.config.checkpoint = {0, 2};
    std::vector<TrainEvent> events;
    setup.hooks.onEvent = [&](const TrainEvent& e) { events.push_back(e); };
    setup.hooks.afterStep = [](int64_t step) {
      if (step == 2) std::raise(SIGTERM);
    };
    Trainer t(ws, setup);
    const TrainOutcome outcome = t.run();
    clearStopSignal();
    QCOMPARE(outcome, TrainOutcome::Stopped);
    QCOMPARE(t.stepsDone(), int64_t(2));
    const auto run = ws.store().run(t.runId());
    QCOMPARE(run->status, RunStatus::Stopped);
    const auto rows = ws.store().checkpoints(t.runId());
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].step, int64_t(2));
    QCOMPARE(events.back().kind, TrainEventKind::Stopped);
  }

  void nonFiniteLossFailsAndKeepsTheLastCheckpoint() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/nan", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(10);
    setup.config.checkpoint = {2, 3};
    std::vector<TrainEvent> events;
    setup.hooks.onEvent = [&](const TrainEvent& e) { events.push_back(e); };
    setup.hooks.alterLoss = [](int64_t step, torch::Tensor& loss) {
      if (step == 4) loss = loss * std::numeric_limits<double>::quiet_NaN();
    };
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Failed);
    QCOMPARE(t.stepsDone(), int64_t(4));
    const auto run = ws.store().run(t.runId());
    QCOMPARE(run->status, RunStatus::Failed);
    QVERIFY(QString::fromStdString(run->message).contains("non-finite loss"));
    QVERIFY(QString::fromStdString(run->message).contains("step 5"));
    const auto rows = ws.store().checkpoints(t.runId());
    QCOMPARE(rows.size(), size_t(2));
    QCOMPARE(rows.back().step, int64_t(4));
    QVERIFY(fs::exists(ws.runDir(t.runId()) / rows.back().path / "model.safetensors"));
    QCOMPARE(events.back().kind, TrainEventKind::Error);
  }

  void sftColdStartTrainsTheTraceAloneFirst() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/coldstart", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(4);
    setup.config.sft.cold_start_steps = 2;
    setup.config.checkpoint = {0, 1};
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Completed);
    QCOMPARE(metricValues(ws, t.runId(), "train/loss_sft").size(), size_t(4));
    const auto emb = ws.store().metrics(t.runId(), "train/loss_emb");  // steps 3 and 4 only
    QCOMPARE(emb.size(), size_t(2));
    QCOMPARE(emb.front().step, int64_t(3));
    // During the cold start the loss is the trace's alone, at full weight.
    const auto loss = metricValues(ws, t.runId(), "train/loss");
    const auto sft = metricValues(ws, t.runId(), "train/loss_sft");
    QCOMPARE(loss[0], sft[0]);
    QVERIFY(loss[3] > sft[3] * setup.config.sft.weight);  // then InfoNCE joins
  }

  void grpoStageLogsRewardsAndStartsAtZeroKl() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/grpo", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(4);
    setup.config.grpo.enabled = true;
    setup.config.grpo.start_step = 2;
    setup.config.grpo.queries = 2;
    setup.config.grpo.options.group_size = 3;
    setup.config.checkpoint = {0, 1};
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Completed);
    const auto kl = metricValues(ws, t.runId(), "train/kl");
    QCOMPARE(kl.size(), size_t(2));   // steps 3 and 4
    QVERIFY(std::abs(kl[0]) < 1e-6);  // the first RL step: policy = reference
    const auto reward = metricValues(ws, t.runId(), "train/reward_mean");
    QCOMPARE(reward.size(), size_t(2));
    for (double r : reward) QVERIFY(r >= 0 && r <= 1.7 + 1e-9);
    QCOMPARE(metricValues(ws, t.runId(), "train/clip_fraction").size(), size_t(2));
    QCOMPARE(metricValues(ws, t.runId(), "train/loss_sft").size(), size_t(2));  // stage 1 steps only
    const auto lr = metricValues(ws, t.runId(), "train/lr");
    QVERIFY(lr[2] < lr[1] * 0.5);  // stage 2 runs at lr_scale of the schedule
    // The policy's entropy over the sampled tokens: positive, at most ln(vocabulary) (the tokenizer's, which
    // the trainer raised the preset's to).
    const auto entropy = metricValues(ws, t.runId(), "train/entropy");
    QCOMPARE(entropy.size(), size_t(2));
    const double uniform = std::log(double(t.config().model.language.vocab_size));
    for (double h : entropy) QVERIFY2(h > 0 && h <= uniform + 1e-9, QByteArray::number(h));
  }

  void stageTwoKeepsStageOneTermsAndBalancesTheTasks() {
    // The tiny recipe's shape on micro: tasks balanced to equal norms, <emb>
    // after the model's own traces, stage 2 keeping the joint terms.
    Workspace ws = Workspace::open(fx->workspaceDir + "/recipe", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(4);
    setup.config.optim.task_balance = "normalize";
    setup.config.contrastive.query_traces = "greedy";
    setup.config.grpo.enabled = true;
    setup.config.grpo.start_step = 2;
    setup.config.grpo.queries = 2;
    setup.config.grpo.options.group_size = 3;
    setup.config.grpo.keep_stage_one = "joint";
    setup.config.checkpoint = {0, 1};
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Completed);
    for (const char* every : {"train/loss_sft", "train/loss_disc", "train/own_trace_len", "train/grad_norm_trace",
                              "train/grad_norm_contrastive", "train/grad_cos_tasks"})
      QVERIFY2(metricValues(ws, t.runId(), every).size() == 4, every);
    for (const char* rl : {"train/reward_mean", "train/grad_norm_policy"})
      QVERIFY2(metricValues(ws, t.runId(), rl).size() == 2, rl);
    for (double cosine : metricValues(ws, t.runId(), "train/grad_cos_tasks"))
      QVERIFY(cosine >= -1 - 1e-9 && cosine <= 1 + 1e-9);
    for (double n : metricValues(ws, t.runId(), "train/grad_norm_trace")) QVERIFY(n > 0);
  }

  void validationStoresTraceGroupsAndCosineHistograms() {
    Workspace ws = Workspace::open(fx->workspaceDir + "/samples", true);
    TrainerSetup setup;
    setup.config = fx->microConfig(2);
    setup.config.eval.every = 1;
    setup.config.eval.trace_groups = 2;
    setup.config.grpo.options.group_size = 3;
    setup.config.checkpoint = {0, 1};
    Trainer t(ws, setup);
    QCOMPARE(t.run(), TrainOutcome::Completed);
    QCOMPARE(ws.store().validationSampleSteps(t.runId()), (std::vector<int64_t>{1, 2}));
    const auto samples =
        ValidationSamples::fromJson(nlohmann::json::parse(*ws.store().validationSamples(t.runId(), 2)));
    QCOMPARE(samples.step, int64_t(2));
    QCOMPARE(samples.groups.size(), size_t(2));
    const RewardConfig& w = setup.config.grpo.options.rewards;
    for (const auto& g : samples.groups) {
      QVERIFY(!g.labels.empty() && !g.positive.empty());
      QCOMPARE(g.samples.size(), size_t(3));
      double advantageSum = 0;
      for (const auto& s : g.samples) {
        QVERIFY(s.rank >= 1);
        QVERIFY(s.tokens >= 0 && s.tokens <= setup.config.model.max_trace_tokens);
        const double total = w.weight_format * s.reward.format + w.weight_length * s.reward.length +
                             w.weight_retrieval * s.reward.retrieval + w.weight_attribute * s.reward.attribute;
        QVERIFY(std::abs(total - s.reward.total) < 1e-9);
        advantageSum += s.advantage;
        if (g.zeroSpread) QCOMPARE(s.advantage, 0.0);
      }
      QVERIFY(std::abs(advantageSum) < 1e-6);  // normalised within the group
    }
    // One positive and one near-duplicate cosine per mm query, every other gallery product once per query.
    const auto& pos = samples.cosines.at("positive");
    const auto& near = samples.cosines.at("near_duplicate");
    const auto& other = samples.cosines.at("other");
    QVERIFY(pos.total > 0);
    QCOMPARE(near.total, pos.total);
    QVERIFY(other.total > pos.total);
    QVERIFY(other.total % pos.total == 0);
    for (const auto* h : {&pos, &near, &other}) QVERIFY(h->mean >= -1 && h->mean <= 1);
  }
};

QTEST_GUILESS_MAIN(TestTrainer)
#include "test_trainer.moc"
