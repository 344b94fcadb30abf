// `moon ablate` end to end on the micro preset: five variants of three steps
// each, every one a run in the store with a stored evaluation, and the table
// written as Markdown and CSV.

#include <QProcess>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "EvalFixture.h"
#include "TestPaths.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "core/tensorio/Safetensors.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

// Top-level module names of a run's final checkpoint ("vision", "mmf", "fire", ...).
std::set<std::string> checkpointModules(const Workspace& ws, const RunRecord& run) {
  const auto checkpoints = ws.store().checkpoints(run.id);
  if (checkpoints.empty()) return {};
  const auto last = std::max_element(checkpoints.begin(), checkpoints.end(),
                                     [](const auto& a, const auto& b) { return a.step < b.step; });
  const auto file = ws.runDir(run.id) / last->path / "model.safetensors";
  std::set<std::string> modules;
  const SafetensorsFile weights = SafetensorsFile::read(file.string());
  for (const auto& t : weights.tensors()) modules.insert(t.name.substr(0, t.name.find('.')));
  return modules;
}

std::vector<std::string> lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

class TestEvalAblateCli : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { setStderrLogLevel(spdlog::level::warn); }

  void ablateWritesTheTable() {
    EvalFixture fx(24);
    const std::string out = fx.catalogue.path("ablation");
    QProcess p;
    p.start(MOON_CLI_PATH, {"ablate",
                            "--workspace",
                            QString::fromStdString(fx.workspaceDir),
                            "--data",
                            QString::fromStdString(fx.dataDir),
                            "--preset",
                            "micro",
                            "--steps",
                            "3",
                            "--set",
                            "threads=1",
                            "--set",
                            "loader.batch_size=6",
                            "--set",
                            "eval.max_queries=8",
                            "--set",
                            "grpo.queries=2",
                            "--max-queries",
                            "4",
                            "--out",
                            QString::fromStdString(out)});
    QVERIFY(p.waitForFinished(240000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    const QString stdOut = QString::fromUtf8(p.readAllStandardOutput());
    QVERIFY2(p.exitCode() == 0, qPrintable(err));
    for (const char* v : {"full", "MMF", "FIRE", "RL", "reasoning"}) QVERIFY2(stdOut.contains(v), qPrintable(stdOut));
    QVERIFY2(stdOut.contains("wall time per variant"), qPrintable(stdOut));
    QVERIFY2(err.contains("ablate: "), qPrintable(err));  // progress on stderr

    const auto csv = lines(out + "/ablation.csv");
    QCOMPARE(csv.size(), std::size_t(6));  // header + 5 variants
    const auto md = lines(out + "/ablation.md");
    std::size_t rows = 0;
    for (const auto& l : md) rows += l.rfind("| ", 0) == 0 && l.find("---") == std::string::npos;
    QCOMPARE(rows, std::size_t(6));  // header + 5 variants

    Workspace ws = Workspace::open(fx.workspaceDir);
    const auto runs = ws.store().listRuns();
    QCOMPARE(runs.size(), std::size_t(5));
    std::vector<std::string> names;
    for (const auto& r : runs) {
      names.push_back(r.name);
      QCOMPARE(r.stepsDone, int64_t(3));
      const auto evals = ws.store().evaluations(r.id);
      QCOMPARE(evals.size(), std::size_t(1));
      QCOMPARE(evals[0].checkpointStep, std::optional<int64_t>(3));
    }
    QCOMPARE(names, (std::vector<std::string>{"ablate/full", "ablate/-MMF", "ablate/-FIRE", "ablate/-RL",
                                              "ablate/-reasoning"}));
    // The variants differ only in their own switch: the RL ones ran stage 2.
    const auto full = nlohmann::json::parse(runs[0].configJson);
    QCOMPARE(full["grpo"]["enabled"].get<bool>(), true);
    QCOMPARE(full["grpo"]["start_step"].get<int>(), 1);
    const auto noMmf = nlohmann::json::parse(runs[1].configJson);
    QCOMPARE(noMmf["model"]["mmf"]["enabled"].get<bool>(), false);
    QCOMPARE(noMmf["model"]["fire"]["enabled"].get<bool>(), true);
    const auto noReasoning = nlohmann::json::parse(runs[4].configJson);
    QCOMPARE(noReasoning["model"]["reasoning"].get<bool>(), false);
    QVERIFY(noReasoning["seed"] == full["seed"]);

    // What each variant removes is really gone from what it trained and saved.
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const auto modules = checkpointModules(ws, runs[i]);
      QVERIFY2(modules.count("vision") && modules.count("language"), runs[i].name.c_str());
      QCOMPARE(modules.count("mmf") == 1, i != 1);   // −MMF has no fusion weights
      QCOMPARE(modules.count("fire") == 1, i != 2);  // −FIRE has no residual-enhancement weights
      const auto keys = ws.store().metricKeys(runs[i].id);
      const auto has = [&](const char* key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
      std::string all;
      for (const auto& k : keys) all += k + " ";
      QVERIFY2(has("train/reward_mean") == (i <= 2),
               (runs[i].name + ": " + all).c_str());  // stage 2 ran in the RL variants only
      QVERIFY2(has("train/loss_sft") == (i != 4), (runs[i].name + ": " + all).c_str());  // −reasoning learns no trace
    }
  }
};

QTEST_GUILESS_MAIN(TestEvalAblateCli)
#include "test_eval_ablate_cli.moc"
