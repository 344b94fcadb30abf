#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

#include "core/base/Error.h"
#include "training/TrainConfig.h"
#include "training/trainer/Curriculum.h"

using namespace moon;

class TestTrainConfig : public QObject {
  Q_OBJECT
 private Q_SLOTS:

  void stageTwoThatNeverStartsIsRejected() {
    bool threw = false;
    try {
      resolveTrainConfig("tiny", "", {"grpo.enabled=true", "steps=300"});
    } catch (const ConfigError& e) {
      threw = true;
      QVERIFY2(std::string(e.what()).find("grpo.start_step") != std::string::npos, e.what());
    }
    QVERIFY2(threw, "a stage 2 starting at 1125 of 300 steps was accepted");
    const TrainConfig ok = resolveTrainConfig("tiny", "", {"grpo.enabled=true"});
    QCOMPARE(ok.grpo.start_step, int64_t(1125));  // the last quarter of the preset's 1,500 steps
    QCOMPARE(grpoStartStep(300, presetGrpoShare("tiny")), int64_t(225));
  }
  void presetsAreValid() {
    for (const auto& name : modelPresetNames()) {
      const TrainConfig c = trainPreset(name);
      QCOMPARE(QString::fromStdString(c.preset), QString::fromStdString(name));
      QCOMPARE(c.loader.image_size, c.model.vision.image_size);
      QCOMPARE(c.loader.max_trace_tokens, c.model.max_trace_tokens);
      validateTrainConfig(c);
    }
    QVERIFY_THROWS_EXCEPTION(ConfigError, trainPreset("huge"));
  }

  void overridesApplyAndSyncTheLoader() {
    const TrainConfig c =
        resolveTrainConfig("micro", "",
                           {"optim.lr=0.005", "model.vision.image_size=48", "model.vision.patch_size=8", "seed=11",
                            "grpo.group_size=6", "eval.query_traces=none"});
    QCOMPARE(c.optim.lr, 0.005);
    QCOMPARE(c.model.vision.image_size, 48);
    QCOMPARE(c.loader.image_size, 48);  // follows the model
    QCOMPARE(c.loader.seed, int64_t(11));
    QCOMPARE(c.grpo.options.group_size, 6);
    QCOMPARE(QString::fromStdString(c.eval.query_traces), QString("none"));
  }

  void badValuesNameTheKey() {
    auto message = [](const std::vector<std::string>& overrides) {
      try {
        resolveTrainConfig("micro", "", overrides);
      } catch (const ConfigError& e) {
        return QString(e.what());
      }
      return QString();
    };
    QVERIFY(message({"optim.lrr=1"}).contains("optim.lrr"));
    QVERIFY(message({"optim.lr=-1"}).contains("optim.lr"));
    QVERIFY(message({"optim.betas=[0.9]"}).contains("optim.betas"));
    QVERIFY(message({"device=tpu"}).contains("device"));
    QVERIFY(message({"eval.query_traces=sampled"}).contains("eval.query_traces"));
    QVERIFY(message({"loader.image_size=64"}).contains("loader.image_size"));
    // A preset's warm-up may outlast a short run: the schedule shortens it (test_lr_schedule).
    QVERIFY(message({"schedule.warmup_steps=500", "steps=100"}).isEmpty());
  }

  void jsonRoundTripAndFileOverPreset() {
    const TrainConfig a = resolveTrainConfig("tiny", "", {"steps=77", "checkpoint.keep_last=5"});
    const auto json = configToJson(a);
    const TrainConfig b = configFromJson<TrainConfig>(json, "round trip");
    QCOMPARE(configToJson(b).dump(), json.dump());

    QTemporaryDir dir;
    const std::string path = dir.path().toStdString() + "/run.json";
    std::ofstream(path) << R"({"steps": 120, "optim": {"weight_decay": 0.2}})";
    const TrainConfig c = resolveTrainConfig("tiny", path, {"steps=130"});
    QCOMPARE(c.steps, int64_t(130));  // --set wins over the file
    QCOMPARE(c.optim.weight_decay, 0.2);
    QCOMPARE(c.model.language.dim, modelPreset("tiny").language.dim);  // the rest is the preset's

    std::ofstream(path) << R"({"optim": {"warmup": 3}})";
    try {
      resolveTrainConfig("tiny", path, {});
      QFAIL("unknown key accepted");
    } catch (const ConfigError& e) {
      QVERIFY(QString(e.what()).contains("optim.warmup"));
    }
  }

  void curriculumStagesAndTheirSteps() {
    TrainConfig c = trainPreset("micro");
    c.curriculum = "contrastive:3,trace:2,joint";
    const auto stages = parseCurriculum(c);
    QCOMPARE(stages.size(), size_t(3));
    QCOMPARE(stages[1].stage, Stage::TraceWarmup);
    QCOMPARE(stages[2].steps, int64_t(-1));
    const Stage expected[] = {Stage::Contrastive, Stage::Contrastive, Stage::Contrastive, Stage::TraceWarmup,
                              Stage::TraceWarmup, Stage::Joint,       Stage::Joint};
    for (int64_t step = 0; step < 7; ++step) QCOMPARE(stageAt(c, step).stage, expected[step]);
    QCOMPARE(stageAt(c, 4).index, 1);
    QCOMPARE(stageAt(c, 1000).index, 2);
    // GRPO follows from its start step, last in the list, at its own learning-rate scale.
    c.grpo.enabled = true;
    c.grpo.start_step = 6;
    c.grpo.lr_scale = 0.5;
    QCOMPARE(stageAt(c, 5).stage, Stage::Joint);
    QCOMPARE(stageAt(c, 6).stage, Stage::Reinforce);
    QCOMPARE(stageAt(c, 6).index, 3);
    QCOMPARE(stageAt(c, 6).lrScale, 0.5);
    // The older key is a trace stage in front.
    TrainConfig old = trainPreset("micro");
    old.sft.cold_start_steps = 4;
    QCOMPARE(stageAt(old, 3).stage, Stage::TraceWarmup);
    QCOMPARE(stageAt(old, 4).stage, Stage::Joint);
  }

  void badCurriculumNamesTheKeyAndTheItem() {
    auto message = [](const std::string& curriculum, bool reasoning = true) -> std::string {
      TrainConfig c = trainPreset("micro");
      c.curriculum = curriculum;
      c.model.reasoning = reasoning;
      try {
        parseCurriculum(c);
      } catch (const ConfigError& e) {
        return e.what();
      }
      return "";
    };
    QVERIFY(message("warmup:3,joint").find("unknown stage 'warmup'") != std::string::npos);
    QVERIFY(message("trace:0,joint").find("'trace:0'") != std::string::npos);
    QVERIFY(message("trace:3x,joint").find("positive whole number") != std::string::npos);
    QVERIFY(message("trace,joint").find("every stage but the last") != std::string::npos);
    QVERIFY(message("").find("no stage") != std::string::npos);
    QVERIFY(message("trace:5,joint", false).find("model.reasoning") != std::string::npos);
    QVERIFY(message("contrastive:5,joint", false).empty());
    QVERIFY2(message("warmup:3,joint").rfind("config key 'curriculum'", 0) == 0, message("warmup:3,joint").c_str());
    QVERIFY(message("trace:5,joint").empty());
  }
};

QTEST_GUILESS_MAIN(TestTrainConfig)
#include "test_train_config.moc"
