// `moon ablate` end to end on the micro preset: five variants of three steps
// each, every one a run in the store with a stored evaluation, and the table
// written as Markdown and CSV.

#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "EvalFixture.h"
#include "TestPaths.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

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
  }
};

QTEST_GUILESS_MAIN(TestEvalAblateCli)
#include "test_eval_ablate_cli.moc"
