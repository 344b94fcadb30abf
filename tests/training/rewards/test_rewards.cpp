// Reward terms on hand-made traces, the weighted total, group-normalised
// advantages (including a zero-spread group), ranks and the option structs.

#include <cmath>
#include <stdexcept>

#include <QtTest>

#include "TensorCompare.h"
#include "core/config/Config.h"
#include "training/losses/ContrastiveConfig.h"
#include "training/losses/GrpoConfig.h"
#include "training/losses/SftConfig.h"
#include "training/rewards/GroupAdvantages.h"
#include "training/rewards/RetrievalRank.h"
#include "training/rewards/Reward.h"
#include "training/rewards/RewardTerms.h"
#include "training/rewards/RolloutStats.h"

using moon::test::close;

class TestRewards : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void formatRewardOnHandMadeTraces() {
    QCOMPARE(moon::formatReward("color: red; pattern: striped</think>"), 1.0);
    QCOMPARE(moon::formatReward("<think> color: red; pattern: striped </think><emb>"), 1.0);
    QCOMPARE(moon::formatReward("color: red</think> anything after the close is ignored"), 1.0);
    // Unclosed: parses, but never stopped.
    QCOMPARE(moon::formatReward("color: red; pattern: striped"), 0.5);
    QCOMPARE(moon::formatReward("color: red; pattern: striped", 0.25), 0.25);
    // Partially parsable: 2 of 3 pieces.
    QVERIFY(close(moon::formatReward("color: red; striped; sleeve: short</think>"), 2.0 / 3.0));
    // A repeated key is a problem piece, not a second attribute.
    QCOMPARE(moon::formatReward("color: red; color: blue</think>"), 0.5);
    // Garbage, empty, closed-but-empty.
    QCOMPARE(moon::formatReward("the the the the"), 0.0);
    QCOMPARE(moon::formatReward("zxq ;; : ;</think>"), 0.0);
    QCOMPARE(moon::formatReward(""), 0.0);
    QCOMPARE(moon::formatReward("</think>"), 0.0);
    // Colons without a value: what sampled traces of an untrained decoder wrote to earn the whole term.
    QCOMPARE(moon::formatReward("color::</think>"), 0.0);
    QCOMPARE(moon::formatReward("color:: ; logo: none</think>"), 0.5);
  }

  void lengthReward() {
    QCOMPARE(moon::lengthReward(32, 32), 1.0);
    QCOMPARE(moon::lengthReward(0, 32), 1.0);
    QCOMPARE(moon::lengthReward(33, 32), 0.0);
  }

  void retrievalReward() {
    QCOMPARE(moon::retrievalReward(1, 10), 1.0);
    QVERIFY(std::fabs(moon::retrievalReward(10, 10)) < 1e-12);
    QVERIFY(close(moon::retrievalReward(3, 9), 0.5));  // log 3 / log 9 = ½
    QVERIFY(close(moon::retrievalReward(2, 2), 0.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::retrievalReward(1, 1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::retrievalReward(0, 5));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::retrievalReward(6, 5));
  }

  void attributeReward() {
    const moon::Attributes labels = {{"color", "red"}, {"pattern", "striped"}, {"sleeve", "short"}};
    const auto stated = moon::parseTrace("Color: RED ; pattern: plain; brand: acme</think>").attributes;
    QVERIFY(close(moon::attributeReward(stated, labels), 1.0 / 3.0));
    QCOMPARE(moon::attributeReward(labels, labels), 1.0);
    QCOMPARE(moon::attributeReward(stated, {}), 0.0);
  }

  void totalRewardWeighsTheTerms() {
    moon::RewardInputs in;
    in.trace = "color: red; pattern: striped</think>";
    in.traceTokens = 10;
    in.rank = 3;
    in.numCandidates = 9;
    in.labels = {{"color", "red"}, {"pattern", "plain"}};
    auto r = moon::computeReward(in);
    QCOMPARE(r.format, 1.0);
    QCOMPARE(r.length, 1.0);
    QVERIFY(close(r.retrieval, 0.5));
    QCOMPARE(r.attribute, 0.5);
    QVERIFY(close(r.total, 0.5 * 1.0 + 0.2 * 1.0 + 1.0 * 0.5));  // attribute weight 0 by default

    moon::RewardConfig options;
    options.weight_attribute = 2.0;
    options.length_cap = 8;
    r = moon::computeReward(in, options);
    QCOMPARE(r.length, 0.0);
    QVERIFY(close(r.total, 0.5 * 1.0 + 0.0 + 1.0 * 0.5 + 2.0 * 0.5));
  }

  void rewardSummary() {
    moon::RewardBreakdown a, b;
    a.format = 1.0;
    a.total = 2.0;
    b.format = 0.0;
    b.total = 4.0;
    const auto s = moon::summarizeRewards({a, b});
    QCOMPARE(s.count, 2);
    QCOMPARE(s.mean.format, 0.5);
    QCOMPARE(s.mean.total, 3.0);
    QCOMPARE(s.totalStd, 1.0);
    QCOMPARE(moon::summarizeRewards({}).count, 0);
  }

  void advantagesOnKnownRewards() {
    // Group 0: {1,0,1,0}: mean ½, std ½.  Group 1: all ½ → dropped.
    // Group 2: {3,1,2,2}: mean 2, std √½.
    const std::vector<double> rewards = {1, 0, 1, 0, 0.5, 0.5, 0.5, 0.5, 3, 1, 2, 2};
    const auto a = moon::groupAdvantages(rewards, 4);
    QCOMPARE(a.groups(), 3);
    QCOMPARE(a.keptGroups(), 2);
    QCOMPARE(a.droppedGroups, std::vector<int>{1});
    QVERIFY(close(a.groupMeans[0], 0.5));
    QVERIFY(close(a.groupStds[0], 0.5));
    QVERIFY(close(a.groupStds[2], std::sqrt(0.5)));
    QVERIFY(close(a.advantages[0], 0.5 / (0.5 + 1e-6)));
    QVERIFY(close(a.advantages[1], -0.5 / (0.5 + 1e-6)));
    for (int i = 4; i < 8; ++i) {
      QCOMPARE(a.advantages[i], 0.0);
      QCOMPARE(bool(a.keep[i]), false);
    }
    QVERIFY(close(a.advantages[8], 1.0 / (std::sqrt(0.5) + 1e-6)));
    QVERIFY(close(a.advantages[9], -1.0 / (std::sqrt(0.5) + 1e-6)));
    QCOMPARE(a.advantages[10], 0.0);
    QCOMPARE(bool(a.keep[10]), true);
  }

  void advantagesRejectBadShapesAndDropNonFinite() {
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::groupAdvantages({1, 2, 3}, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::groupAdvantages({1, 2}, 0));
    const auto a = moon::groupAdvantages({1.0, std::nan(""), 0.0, 1.0}, 2);
    QCOMPARE(a.droppedGroups, std::vector<int>{0});
    QCOMPARE(bool(a.keep[2]), true);
  }

  void rolloutStatsOnKnownSamples() {
    using moon::RewardBreakdown;
    // Two groups of two: the first with equal totals (no signal), the second not.
    std::vector<RewardBreakdown> r(4);
    r[0].format = r[1].format = 1.0;
    r[0].total = r[1].total = 1.0;
    r[3].retrieval = 2.0;
    r[2].total = 0.0;
    r[3].total = 2.0;
    const auto groups = moon::groupAdvantages({1.0, 1.0, 0.0, 2.0}, 2);
    const auto s = moon::rolloutStats({4, 8, 6, 32}, {true, true, true, false}, r, groups);
    QCOMPARE(s.lengthMean, 12.5);
    QCOMPARE(s.lengthMin, 4);
    QCOMPARE(s.lengthMax, 32);
    QCOMPARE(s.cutShare, 0.25);                            // the one that ran to the cap
    QCOMPARE(s.zeroSpreadShare, 0.5);                      // the first group
    QVERIFY(close(s.termStd.format, 0.5));                 // {1, 1, 0, 0}
    QVERIFY(close(s.termStd.retrieval, std::sqrt(0.75)));  // {0, 0, 0, 2}
    QVERIFY(close(s.termStd.total, std::sqrt(0.5)));       // {1, 1, 0, 2}
    QCOMPARE(s.termStd.length, 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             moon::rolloutStats({1}, {true, false}, {RewardBreakdown{}}, groups));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, moon::rolloutStats({}, {}, {}, groups));
  }

  void ranksCountTiesAgainstThePositive() {
    const double nan = std::nan("");
    const auto scores = torch::tensor({{0.9, 0.1, 0.5}, {0.2, 0.2, 0.1}, {nan, 0.0, 0.0}, {0.1, 0.3, 0.2}});
    const auto ranks = moon::positiveRanks(scores, torch::tensor({0, 1, 0, 0}));
    QCOMPARE(ranks, (std::vector<int>{1, 2, 3, 3}));
  }

  void optionStructsLoadFromConfig() {
    const auto grpo = moon::configFromJson<moon::GrpoConfig>(
        nlohmann::json::parse(R"({"group_size": 4, "rewards": {"weight_attribute": 0.5}})"));
    QCOMPARE(grpo.group_size, 4);
    QCOMPARE(grpo.rewards.weight_attribute, 0.5);
    QCOMPARE(grpo.clip_high, 0.28);
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError,
                             moon::configFromJson<moon::GrpoConfig>(nlohmann::json::parse(R"({"clip_hihg": 0.3})")));
    QVERIFY_THROWS_EXCEPTION(moon::ConfigError,
                             moon::configFromJson<moon::GrpoConfig>(nlohmann::json::parse(R"({"group_size": 1})")));

    auto contrastive = moon::ContrastiveConfig{};
    moon::applyOverride(contrastive, "temperature.init=0.07");
    moon::applyOverride(contrastive, "filter=true");
    QCOMPARE(contrastive.temperature.init, 0.07);
    QCOMPARE(contrastive.filter, true);
    const auto json = moon::configToJson(contrastive);
    QCOMPARE(json["weight_emb"].get<double>(), 1.0);
    QCOMPARE(json["temperature"]["learnable"].get<bool>(), true);
    QCOMPARE(moon::configToJson(moon::SftConfig{})["weight"].get<double>(), 0.1);
  }
};

QTEST_APPLESS_MAIN(TestRewards)
#include "test_rewards.moc"
