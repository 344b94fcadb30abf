// `moon eval` and `moon embed` end to end: a micro run trained for two steps
// on a tiny synthetic catalogue, then the CLI as a user runs it.

#include <QProcess>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "EvalFixture.h"
#include "RequireTool.h"
#include "TestPaths.h"
#include "core/base/Logging.h"
#include "core/config/Config.h"
#include "core/store/Workspace.h"
#include "training/eval/EvaluationResult.h"
#include "training/trainer/Trainer.h"

using namespace moon;
namespace fs = std::filesystem;

namespace {

struct Result {
  int code = -1;
  QString out, err;
};

Result runMoon(const QStringList& args) {
  QProcess p;
  p.start(MOON_CLI_PATH, args);
  Result r;
  if (!p.waitForFinished(120000)) {
    p.kill();
    p.waitForFinished();
    return r;
  }
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

std::size_t lineCount(const std::string& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += !line.empty();
  return n;
}

}  // namespace

class TestEvalCli : public QObject {
  Q_OBJECT
  std::unique_ptr<EvalFixture> fx;
  int64_t runId = 0;
  QStringList evalBase;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    torch::set_num_threads(1);
    fx = std::make_unique<EvalFixture>(24);
    Workspace ws = Workspace::open(fx->workspaceDir, true);
    TrainerSetup setup;
    setup.config = fx->microConfig({"loader.batch_size=6", "eval.every=0", "eval.max_queries=8", "checkpoint.every=1"});
    setup.name = "cli eval run";
    setup.steps = 2;
    Trainer trainer(ws, setup);
    QVERIFY(trainer.run() == TrainOutcome::Completed);
    runId = trainer.runId();
    evalBase = {"eval", "--workspace", q(fx->workspaceDir), "--threads", "1", "--max-queries", "6"};
  }

  void evalStoresTheResult() {
    const std::string json = fx->catalogue.path("eval.json");
    const Result r = runMoon(evalBase + QStringList{"--run", QString::number(runId), "--json", q(json)});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("checkpoint step 2 [best"), qPrintable(r.out));
    QVERIFY(r.out.contains("t->mm") || r.out.contains("t→mm"));
    Workspace ws = Workspace::open(fx->workspaceDir);
    const auto evals = ws.store().evaluations(runId);
    QCOMPARE(evals.size(), std::size_t(1));
    QCOMPARE(evals[0].checkpointStep, std::optional<int64_t>(2));
    QCOMPARE(evals[0].split, std::string("test"));
    const auto stored = EvaluationResult::fromJson(nlohmann::json::parse(evals[0].resultsJson));
    QCOMPARE(stored.retrieval.size(), std::size_t(5));
    QVERIFY(stored.nearDuplicate && stored.coarseCategory && stored.attributes);
    const auto file = EvaluationResult::fromJson(readJsonFile(json));
    QCOMPARE(file.retrieval[0].mrr, stored.retrieval[0].mrr);
  }

  void evalByNameAndStep() {
    const Result r = runMoon(evalBase + QStringList{"--run", "cli eval run", "--checkpoint", "1", "--split", "val",
                                                    "--query-traces", "target"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("checkpoint step 1 [requested]"), qPrintable(r.out));
    Workspace ws = Workspace::open(fx->workspaceDir);
    const auto evals = ws.store().evaluations(runId);
    QVERIFY(!evals.empty());
    QCOMPARE(evals.back().checkpointStep, std::optional<int64_t>(1));
    QCOMPARE(evals.back().split, std::string("val"));
  }

  void evalErrorsNameTheProblem_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("missing run") << QStringList{"--run", "no-such-run"} << "no-such-run";
    QTest::newRow("bad step") << QStringList{"--run", QString::number(runId), "--checkpoint", "977"} << "977";
    QTest::newRow("unknown split") << QStringList{"--run", QString::number(runId), "--split", "bogus"} << "bogus";
    QTest::newRow("bad traces") << QStringList{"--run", QString::number(runId), "--query-traces", "wild"} << "wild";
  }

  void evalErrorsNameTheProblem() {
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    const Result r = runMoon(evalBase + args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("moon: error:") && r.err.contains(named), qPrintable(r.err));
  }

  void embedWritesNpyAndProjectorTsv() {
    const std::string npy = fx->catalogue.path("emb.npy");
    const std::string tsv = fx->catalogue.path("emb.tsv");
    const Result r = runMoon({"embed", "--workspace", q(fx->workspaceDir), "--run", QString::number(runId), "--split",
                              "all", "--modality", "mm", "--out", q(npy), "--metadata", q(tsv), "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const std::size_t products = fx->dataset.products().size();
    QCOMPARE(lineCount(tsv), products + 1);  // header + one row per product
    QVERIFY(fs::file_size(npy) > products * 32 * sizeof(float));

    QProcess hasNumpy;
    hasNumpy.start("/usr/bin/python3", {"-c", "import numpy"});
    MOON_REQUIRE_TOOL(
        hasNumpy.waitForFinished(30000) && hasNumpy.exitStatus() == QProcess::NormalExit && hasNumpy.exitCode() == 0,
        "/usr/bin/python3 with numpy");
    QProcess py;
    py.start("/usr/bin/python3", {"-c",
                                  "import sys, numpy as np\n"
                                  "a = np.load(sys.argv[1])\n"
                                  "rows = [l for l in open(sys.argv[2], encoding='utf-8').read().split('\\n') if l]\n"
                                  "print(a.shape[0], a.shape[1], a.dtype, len(rows), rows[0].split('\\t')[0])\n",
                                  q(npy), q(tsv)});
    QVERIFY(py.waitForFinished(30000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
    const QString seen = QString::fromUtf8(py.readAllStandardOutput()).trimmed();
    QCOMPARE(seen, QString("%1 32 float32 %2 id").arg(products).arg(products + 1));
  }

  void embedFromCheckpointFolder() {
    Workspace ws = Workspace::open(fx->workspaceDir);
    const auto cps = ws.store().checkpoints(runId);
    QVERIFY(!cps.empty());
    const std::string dir = (ws.runDir(runId) / cps.back().path).string();
    const std::string out = fx->catalogue.path("emb.safetensors");
    const Result r = runMoon({"embed", "--checkpoint", q(dir), "--data", q(fx->dataDir), "--split", "test",
                              "--modality", "text", "--out", q(out), "--threads", "1"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("(safetensors)"), qPrintable(r.out));
    QVERIFY(fs::file_size(out) > 0);

    const Result bad = runMoon({"embed", "--checkpoint", q(dir), "--modality", "smell", "--out", q(out)});
    QCOMPARE(bad.code, 1);
    QVERIFY2(bad.err.contains("smell"), qPrintable(bad.err));
    const Result notCheckpoint =
        runMoon({"embed", "--checkpoint", q(fx->dataDir), "--modality", "mm", "--out", q(out)});
    QCOMPARE(notCheckpoint.code, 1);
    QVERIFY2(notCheckpoint.err.contains("not a checkpoint"), qPrintable(notCheckpoint.err));
  }
};

QTEST_GUILESS_MAIN(TestEvalCli)
#include "test_eval_cli.moc"
