#include <QProcess>
#include <QtTest>

#include <csignal>
#include <optional>

#include "ChildProcessEvents.h"
#include "TestPaths.h"
#include "TrainerFixture.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/tensorio/Safetensors.h"
#include "model/checkpoint/TensorRecords.h"
#include "training/distributed/DistributedEnv.h"
#include "training/distributed/LocalLauncher.h"
#include "training/distributed/RankWeights.h"

using namespace moon;
using moon::test::waitForEvent;

namespace {

// The micro preset on the fixture's catalogue with `batch` triplets per process.
QStringList trainArgs(const TrainerFixture& fx, const std::string& ws, int batch, int steps) {
  QStringList args{"train",
                   "--workspace",
                   QString::fromStdString(ws),
                   "--preset",
                   "micro",
                   "--data",
                   QString::fromStdString(fx.dataDir),
                   "--steps",
                   QString::number(steps)};
  for (const QString& kv :
       {QString("threads=1"), QString("loader.batch_size=%1").arg(batch), QString("loader.drop_last=true"),
        QString("eval.every=0"), QString("eval.max_queries=8"), QString("eval.query_traces=target"),
        QString("schedule.warmup_steps=2"), QString("checkpoint.every=0")})
    args << "--set" << kv;
  return args;
}

struct Finished {
  int exitCode = -1;
  QString out, err;
};

Finished runCli(const QStringList& args, const QProcessEnvironment& env, int timeoutMs = 120000) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.start(MOON_CLI_PATH, args);
  Finished f;
  if (!p.waitForFinished(timeoutMs)) {
    p.kill();
    p.waitForFinished();
    f.err = "timed out";
    return f;
  }
  f.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  f.out = p.readAllStandardOutput();
  f.err = p.readAllStandardError();
  return f;
}

QProcessEnvironment withWeightsDir(const std::string& dir) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(kRankWeightsEnv, QString::fromStdString(dir));
  return env;
}

std::map<std::string, torch::Tensor> readWeights(const std::string& path) {
  std::map<std::string, torch::Tensor> out;
  const SafetensorsFile file = SafetensorsFile::read(path);
  for (const auto& r : file.tensors()) out[r.name] = recordToTensor(r).to(torch::kFloat64);
  return out;
}

// ‖a − b‖ / ‖b‖ over every tensor together; also the worst single tensor's.
std::pair<double, double> relativeError(const std::map<std::string, torch::Tensor>& a,
                                        const std::map<std::string, torch::Tensor>& b) {
  double diff = 0, norm = 0, worst = 0;
  for (const auto& [name, y] : b) {
    const torch::Tensor& x = a.at(name);
    const double d = (x - y).pow(2).sum().item<double>(), n = y.pow(2).sum().item<double>();
    diff += d;
    norm += n;
    worst = std::max(worst, std::sqrt(d / std::max(n, 1e-30)));
  }
  return {std::sqrt(diff / std::max(norm, 1e-30)), worst};
}

int countEvents(const QString& out, TrainEventKind kind) {
  int n = 0;
  for (const auto& line : out.split('\n', Qt::SkipEmptyParts)) {
    const auto parsed = parseTrainEvent(line.toStdString());
    n += parsed.ok() && parsed.event->kind == kind;
  }
  return n;
}

}  // namespace

class TestDistributed : public QObject {
  Q_OBJECT
  std::unique_ptr<TrainerFixture> fx;

 private Q_SLOTS:
  void initTestCase() {
    setStderrLogLevel(spdlog::level::warn);
    fx = std::make_unique<TrainerFixture>(40);
  }

  void environmentIsParsedStrictly() {
    auto parse = [](std::map<std::string, std::string> vars) {
      return parseDistributedEnv([vars](const char* name) -> const char* {
        auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
      });
    };
    QVERIFY(!parse({}).has_value());
    QVERIFY(!parse({{"WORLD_SIZE", "1"}}).has_value());
    const auto env = parse({{"RANK", "1"},
                            {"WORLD_SIZE", "3"},
                            {"LOCAL_RANK", "1"},
                            {"MASTER_ADDR", "node0"},
                            {"MASTER_PORT", "29400"},
                            {"MOON_DIST_TIMEOUT_S", "5"}});
    QVERIFY(env.has_value());
    QCOMPARE(env->rank, 1);
    QCOMPARE(env->worldSize, 3);
    QCOMPARE(env->masterAddr, std::string("node0"));
    QCOMPARE(env->masterPort, 29400);
    QCOMPARE(env->timeout.count(), int64_t(5000));
    auto failsWith = [&](std::map<std::string, std::string> vars, const char* needle) {
      try {
        parse(vars);
      } catch (const ConfigError& e) {
        return std::string(e.what()).find(needle) != std::string::npos;
      }
      return false;
    };
    const std::map<std::string, std::string> ok{
        {"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29400"}};
    auto with = [&](const std::string& k, const std::string& v) {
      auto m = ok;
      m[k] = v;
      return m;
    };
    auto without = [&](const std::string& k) {
      auto m = ok;
      m.erase(k);
      return m;
    };
    QVERIFY(failsWith(with("RANK", "2"), "RANK=2 is not below WORLD_SIZE=2"));
    QVERIFY(failsWith(with("RANK", "-1"), "RANK='-1'"));
    QVERIFY(failsWith(with("WORLD_SIZE", "two"), "WORLD_SIZE='two'"));
    QVERIFY(failsWith(with("MASTER_PORT", "70000"), "MASTER_PORT='70000'"));
    QVERIFY(failsWith(without("MASTER_PORT"), "MASTER_PORT is not set"));
    QVERIFY(failsWith(without("RANK"), "RANK is not set"));
  }

  void badEnvironmentFailsClearly() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RANK", "2");
    env.insert("WORLD_SIZE", "2");
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", "29511");
    const Finished f = runCli(trainArgs(*fx, fx->workspaceDir + "/badenv", 4, 2), env, 60000);
    QCOMPARE(f.exitCode, 1);
    QVERIFY2(f.err.contains("RANK=2 is not below WORLD_SIZE=2"), qPrintable(f.err));
  }

  void unreachableMasterTimesOut() {
    // Rank 1 of 2 whose rank 0 never comes: a clear error after the timeout, no hang.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RANK", "1");
    env.insert("WORLD_SIZE", "2");
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(freeLocalPort()));
    env.insert("MOON_DIST_TIMEOUT_S", "2");
    QElapsedTimer t;
    t.start();
    const Finished f = runCli(trainArgs(*fx, fx->workspaceDir + "/nomaster", 4, 2), env, 60000);
    QCOMPARE(f.exitCode, 1);
    QVERIFY2(f.err.contains("rendezvous failed"), qPrintable(f.err));
    QVERIFY(t.elapsed() < 30000);
  }

  // Two workers with batch B end where one process with batch 2B ends.
  void twoWorkersMatchOneProcessWithTheGlobalBatch() {
    const std::string single = fx->catalogue.path("w1"), dual = fx->catalogue.path("w2");
    const Finished one = runCli(trainArgs(*fx, fx->workspaceDir + "/one", 8, 3), withWeightsDir(single));
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    const Finished two = runCli(trainArgs(*fx, fx->workspaceDir + "/two", 4, 3) << "--nproc"
                                                                                << "2",
                                withWeightsDir(dual));
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));

    // Rank 0 alone speaks: one event stream, one run.
    QCOMPARE(countEvents(two.out, TrainEventKind::Step), 3);
    QCOMPARE(countEvents(two.out, TrainEventKind::Completed), 1);
    QCOMPARE(countEvents(two.out, TrainEventKind::Started), 1);
    Workspace ws = Workspace::open(fx->workspaceDir + "/two");
    const auto runs = ws.store().listRuns();
    QCOMPARE(runs.size(), size_t(1));
    QCOMPARE(runs[0].status, RunStatus::Completed);
    QCOMPARE(ws.store().checkpoints(runs[0].id).size(), size_t(1));

    const auto reference = readWeights(rankWeightsPath(single, 0));
    const auto rank0 = readWeights(rankWeightsPath(dual, 0));
    const auto rank1 = readWeights(rankWeightsPath(dual, 1));
    QCOMPARE(rank0.size(), reference.size());
    QVERIFY(reference.count("logit_scale") == 1);
    // The ranks apply the same summed gradient to the same weights: bitwise equal.
    QCOMPARE(relativeError(rank1, rank0).second, 0.0);
    // Against one process: only the summation order differs.
    const auto [global, worst] = relativeError(rank0, reference);
    qInfo("relative error over all parameters %.3g (worst tensor %.3g)", global, worst);
    QVERIFY2(global < 1e-5, qPrintable(QString::number(global)));
    // And training did move the weights (the comparison is not vacuous).
    const auto losses = metricValues(ws, runs[0].id, "train/loss");
    QCOMPARE(losses.size(), size_t(3));
    Workspace ws1 = Workspace::open(fx->workspaceDir + "/one");
    const auto oneRun = ws1.store().listRuns().at(0);
    const auto oneLosses = metricValues(ws1, oneRun.id, "train/loss");
    QCOMPARE(oneLosses.size(), size_t(3));
    for (size_t i = 0; i < 3; ++i) QVERIFY(std::abs(losses[i] - oneLosses[i]) <= 1e-4 * std::abs(oneLosses[i]));
  }

  // Stage 2 (GRPO) under data parallel: ranks sample their own traces but stay in sync.
  void grpoRunsOnTwoWorkers() {
    const std::string weights = fx->catalogue.path("grpo");
    const Finished r = runCli(trainArgs(*fx, fx->workspaceDir + "/grpo", 4, 2) << "--set"
                                                                               << "grpo.enabled=true"
                                                                               << "--set"
                                                                               << "grpo.start_step=1"
                                                                               << "--set"
                                                                               << "grpo.queries=2"
                                                                               << "--set"
                                                                               << "grpo.max_new_tokens=8"
                                                                               << "--nproc"
                                                                               << "2",
                              withWeightsDir(weights));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(countEvents(r.out, TrainEventKind::Step), 2);
    Workspace ws = Workspace::open(fx->workspaceDir + "/grpo");
    const auto run = ws.store().listRuns().at(0);
    QCOMPARE(run.status, RunStatus::Completed);
    QCOMPARE(metricValues(ws, run.id, "train/reward_mean").size(), size_t(1));
    QCOMPARE(relativeError(readWeights(rankWeightsPath(weights, 1)), readWeights(rankWeightsPath(weights, 0))).second,
             0.0);
  }

  // SIGTERM to the launcher reaches every worker; they agree on the step to stop at.
  void sigtermStopsAllWorkersAtOneStep() {
    const std::string dir = fx->workspaceDir + "/term";
    QProcess p;
    p.start(MOON_CLI_PATH, trainArgs(*fx, dir, 4, 500) << "--nproc"
                                                       << "2");
    QVERIFY(waitForEvent(p, TrainEventKind::Step).has_value());
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    const auto stopped = waitForEvent(p, TrainEventKind::Stopped);
    QVERIFY(stopped.has_value());
    QVERIFY(p.waitForFinished(60000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    Workspace ws = Workspace::open(dir);
    const auto run = ws.store().listRuns().at(0);
    QCOMPARE(run.status, RunStatus::Stopped);
    QCOMPARE(ws.store().checkpoints(run.id).back().step, stopped->step);
  }

  // One worker failing takes the launcher and the other worker down with a clear message.
  void failingWorkerEndsTheLaunch() {
    // A workspace path that is a file: every worker fails; the launcher reports the first.
    const std::string file = fx->catalogue.path("not-a-dir");
    QFile f(QString::fromStdString(file));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    QElapsedTimer t;
    t.start();
    const Finished r = runCli(trainArgs(*fx, file, 4, 2) << "--nproc"
                                                         << "2",
                              QProcessEnvironment::systemEnvironment(), 90000);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("moon train --nproc 2: worker rank"), qPrintable(r.err));
    QVERIFY(t.elapsed() < 60000);
  }
};

QTEST_GUILESS_MAIN(TestDistributed)
#include "test_distributed.moc"
