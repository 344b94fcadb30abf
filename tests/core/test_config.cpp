#include <QTemporaryDir>
#include <QtTest>

#include "TestFiles.h"
#include "core/config/Config.h"

using namespace moon;

namespace {

struct OptimSection {
  double lr = 3e-4;
  int warmup = 100;
  std::string schedule = "cosine";
  std::vector<int> milestones{10, 20};
  template <class V>
  void visit(V& v) {
    v.field("lr", lr, "peak learning rate", Range{0.0, 1.0});
    v.field("warmup", warmup, "warm-up steps", Range{0, 1e6});
    v.field("schedule", schedule, "schedule", Choices{{"cosine", "constant"}});
    v.field("milestones", milestones, "steps", Range{0, 1e6});
  }
};

struct ModelSection {
  int layers = 2;
  std::vector<std::string> tags;
  template <class V>
  void visit(V& v) {
    v.field("layers", layers, "decoder layers", Range{1, 64});
    v.field("tags", tags, "free-form tags");
  }
};

struct RunConfig {
  std::string name = "run";
  bool bf16 = false;
  int64_t seed = 1;
  OptimSection optim;
  ModelSection model;
  template <class V>
  void visit(V& v) {
    v.field("name", name, "run name");
    v.field("bf16", bf16, "bf16 autocast");
    v.field("seed", seed, "random seed");
    v.section("optim", optim);
    v.section("model", model);
  }
};

RunConfig parse(const char* json) { return configFromJson<RunConfig>(nlohmann::json::parse(json), "run.json"); }

// The ConfigError message, or "" when parsing succeeded.
std::string errorOf(const char* json) {
  try {
    parse(json);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string overrideError(RunConfig& cfg, const std::string& assignment) {
  try {
    applyOverride(cfg, assignment);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

class TestConfig : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void defaultsAndNestedValues() {
    const auto d = parse("{}");
    QCOMPARE(d.optim.lr, 3e-4);
    QCOMPARE(d.model.layers, 2);
    const auto c = parse(R"({"name": "x", "bf16": true, "optim": {"lr": 0.01, "warmup": 5.0},
                             "model": {"tags": ["a", "b"]}})");
    QCOMPARE(c.name, std::string("x"));
    QVERIFY(c.bf16);
    QCOMPARE(c.optim.lr, 0.01);
    QCOMPARE(c.optim.warmup, 5);  // a whole float is accepted for an integer
    QCOMPARE(c.optim.schedule, std::string("cosine"));
    QCOMPARE(c.model.tags, (std::vector<std::string>{"a", "b"}));
  }

  void wrongTypeNamesTheKey() {
    const auto e = errorOf(R"({"optim": {"lr": "fast"}})");
    QVERIFY2(contains(e, "run.json: ") && contains(e, "'optim.lr' must be a number") && contains(e, "\"fast\""),
             e.c_str());
    QVERIFY2(contains(errorOf(R"({"optim": {"warmup": 2.5}})"), "'optim.warmup' must be an integer"), "fraction");
    QVERIFY(contains(errorOf(R"({"bf16": 1})"), "'bf16' must be a boolean"));
    QVERIFY(contains(errorOf(R"({"model": {"tags": ["a", 3]}})"), "'model.tags' must be a list"));
    QVERIFY(contains(errorOf(R"({"optim": 3})"), "'optim' must be an object"));
    QVERIFY(contains(errorOf("[1, 2]"), "must be a JSON object"));
  }

  void unknownKeySuggestsTheClosest() {
    const auto e = errorOf(R"({"optim": {"lrr": 0.1}})");
    QVERIFY2(contains(e, "unknown config key 'optim.lrr'") && contains(e, "did you mean 'optim.lr'?"), e.c_str());
    const auto top = errorOf(R"({"sead": 3})");
    QVERIFY2(contains(top, "did you mean 'seed'?"), top.c_str());
    const auto far = errorOf(R"({"completely_unrelated": 3})");
    QVERIFY2(contains(far, "unknown config key 'completely_unrelated'") && !contains(far, "did you mean"), far.c_str());
  }

  void outOfRangeAndChoices() {
    const auto e = errorOf(R"({"optim": {"lr": 2}})");
    QVERIFY2(contains(e, "'optim.lr'") && contains(e, "out of range [0, 1]"), e.c_str());
    QVERIFY(contains(errorOf(R"({"model": {"layers": 0}})"), "'model.layers': value 0 is out of range"));
    QVERIFY(contains(errorOf(R"({"optim": {"milestones": [5, -1]}})"), "'optim.milestones': value -1"));
    const auto c = errorOf(R"({"optim": {"schedule": "linear"}})");
    QVERIFY2(contains(c, "'optim.schedule': 'linear' is not one of: cosine, constant"), c.c_str());
  }

  void overrides() {
    RunConfig cfg;
    applyOverrides(cfg, {"optim.lr=0.01", "optim.warmup=3", "name=hello", "bf16=true", "model.tags=[\"x\",\"y\"]",
                         "optim.milestones=[1,2,3]", "seed=12345678901"});
    QCOMPARE(cfg.optim.lr, 0.01);
    QCOMPARE(cfg.optim.warmup, 3);
    QCOMPARE(cfg.name, std::string("hello"));
    QVERIFY(cfg.bf16);
    QCOMPARE(cfg.model.tags, (std::vector<std::string>{"x", "y"}));
    QCOMPARE(cfg.optim.milestones, (std::vector<int>{1, 2, 3}));
    QCOMPARE(cfg.seed, int64_t(12345678901));
    applyOverride(cfg, "name=123");  // a string field keeps digits as text
    QCOMPARE(cfg.name, std::string("123"));
  }

  void badOverridesNameTheKeyAndChangeNothing() {
    RunConfig cfg;
    const RunConfig before = cfg;
    QVERIFY(contains(overrideError(cfg, "optim.lr=5"), "'optim.lr': value 5 is out of range"));
    QVERIFY(contains(overrideError(cfg, "optim.lr=abc"), "'optim.lr' must be a number"));
    const auto typo = overrideError(cfg, "optim.lrr=0.1");
    QVERIFY2(contains(typo, "unknown config key 'optim.lrr'") && contains(typo, "did you mean 'optim.lr'"),
             typo.c_str());
    QVERIFY(contains(overrideError(cfg, "optimm.lr=0.1"), "did you mean 'optim'"));
    QVERIFY(contains(overrideError(cfg, "optim=3"), "is a section"));
    QVERIFY(contains(overrideError(cfg, "no-equals-sign"), "must look like key=value"));
    QVERIFY(contains(overrideError(cfg, "=3"), "must look like key=value"));
    QCOMPARE(configToJson(cfg), configToJson(before));
  }

  void jsonRoundTrip() {
    RunConfig cfg;
    applyOverrides(cfg, {"optim.lr=0.125", "model.tags=[\"t\"]", "optim.schedule=constant"});
    const auto back = configFromJson<RunConfig>(configToJson(cfg));
    QCOMPARE(configToJson(back), configToJson(cfg));
    QCOMPARE(back.optim.schedule, std::string("constant"));
  }

  void filesNameThemselvesInErrors() {
    QTemporaryDir dir;
    const std::string bad = dir.path().toStdString() + "/bad.json";
    test::writeAll(bad, "{\n  \"optim\": {\n    \"lr\": 0.1,,\n  }\n}\n");
    try {
      loadConfigFile<RunConfig>(bad);
      QFAIL("expected FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(contains(e.what(), bad) && contains(e.what(), "line 3"), e.what());
    }
    const std::string unknown = dir.path().toStdString() + "/unknown.json";
    test::writeAll(unknown, R"({"modle": {}})");
    try {
      loadConfigFile<RunConfig>(unknown);
      QFAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      QVERIFY2(std::string(e.what()).rfind(unknown + ": ", 0) == 0 && contains(e.what(), "did you mean 'model'"),
               e.what());
    }
    QVERIFY_THROWS_EXCEPTION(IoError, loadConfigFile<RunConfig>(dir.path().toStdString() + "/missing.json"));
    const std::string good = dir.path().toStdString() + "/good.json";
    test::writeAll(good, R"({"model": {"layers": 4}})");
    QCOMPARE(loadConfigFile<RunConfig>(good).model.layers, 4);
  }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "test_config.moc"
