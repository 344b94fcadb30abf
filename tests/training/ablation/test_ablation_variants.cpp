// ablationVariants() resolved as the driver resolves them: every variant is
// the full model with exactly its own component switched off, and the user's
// overrides are kept for all of them.
#include <QtTest>

#include <set>

#include "core/config/JsonDiff.h"
#include "training/TrainConfig.h"
#include "training/ablation/Ablation.h"

using namespace moon;

namespace {

TrainConfig resolved(const AblationVariant& v, const std::vector<std::string>& user = {}) {
  std::vector<std::string> all = {"steps=40"};
  all.insert(all.end(), user.begin(), user.end());
  all.insert(all.end(), v.overrides.begin(), v.overrides.end());
  return resolveTrainConfig("micro", "", all);
}

// The config keys on which `v` differs from `full`.
std::set<std::string> differingKeys(const TrainConfig& full, const TrainConfig& v) {
  std::set<std::string> keys;
  for (const auto& d : diffJson(configToJson(full), configToJson(v))) keys.insert(d.key);
  return keys;
}

}  // namespace

class TestAblationVariants : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void fiveVariantsInTableOrder() {
    const auto variants = ablationVariants(40);
    QCOMPARE(variants.size(), std::size_t(5));
    const std::vector<std::string> runs = {"ablate/full", "ablate/-MMF", "ablate/-FIRE", "ablate/-RL",
                                           "ablate/-reasoning"};
    for (std::size_t i = 0; i < runs.size(); ++i) QCOMPARE(variants[i].runName, runs[i]);
  }

  void eachVariantRemovesOnlyItsOwnComponent() {
    const auto variants = ablationVariants(40);
    const TrainConfig full = resolved(variants[0]);
    QVERIFY(full.grpo.enabled);
    QCOMPARE(full.grpo.start_step, int64_t(20));  // stage 2 over the second half of the budget
    QVERIFY(full.model.mmf.enabled && full.model.fire.enabled && full.model.reasoning);

    QCOMPARE(differingKeys(full, resolved(variants[1])), std::set<std::string>{"model.mmf.enabled"});
    QCOMPARE(differingKeys(full, resolved(variants[2])), std::set<std::string>{"model.fire.enabled"});
    const TrainConfig noRl = resolved(variants[3]);
    QVERIFY(!noRl.grpo.enabled && noRl.model.reasoning);
    QCOMPARE(differingKeys(full, noRl), (std::set<std::string>{"grpo.enabled", "grpo.start_step"}));
    const TrainConfig noReasoning = resolved(variants[4]);
    QVERIFY(!noReasoning.grpo.enabled && !noReasoning.model.reasoning);
    const auto keys = differingKeys(full, noReasoning);
    QVERIFY(keys.count("model.reasoning") && keys.count("grpo.enabled"));
    for (const auto& k : keys)  // nothing beyond reasoning and the RL it needs
      QVERIFY2(k == "model.reasoning" || k.rfind("grpo.", 0) == 0, k.c_str());
  }

  void userOverridesHoldForEveryVariant() {
    const std::vector<std::string> user = {"grpo.start_step=7", "optim.lr=0.0005"};
    const auto variants = ablationVariants(40, user);
    for (const auto& v : variants) {
      const TrainConfig c = resolved(v, user);
      QCOMPARE(c.optim.lr, 0.0005);
      if (c.grpo.enabled) QCOMPARE(c.grpo.start_step, int64_t(7));  // not replaced by steps / 2
    }
  }

  void stageTwoGetsThePresetsShareOfTheBudget() {
    const auto variants = ablationVariants(40, {}, 0.25);
    QCOMPARE(resolved(variants[0]).grpo.start_step, int64_t(30));
    QCOMPARE(resolved(variants[1]).grpo.start_step, int64_t(30));
    // A preset without a start step gives half; tiny, its measured last quarter.
    QCOMPARE(presetGrpoShare("micro"), 0.5);
    const TrainConfig tiny = trainPreset("tiny");
    QVERIFY(tiny.grpo.start_step > 0);
    QCOMPARE(presetGrpoShare("tiny"), 1.0 - double(tiny.grpo.start_step) / double(tiny.steps));
  }
};

QTEST_GUILESS_MAIN(TestAblationVariants)
#include "test_ablation_variants.moc"
