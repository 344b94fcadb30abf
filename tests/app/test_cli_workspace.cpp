#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "RunMoon.h"
#include "core/store/Workspace.h"

using namespace moon;
using moon::test::runMoon;

class TestCliWorkspace : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void helpListsTheSubcommands() {
    const auto r = runMoon({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("workspace"), qPrintable(r.out));
    const auto sub = runMoon({"workspace", "--help"});
    QCOMPARE(sub.exitCode, 0);
    QVERIFY2(sub.out.contains("init") && sub.out.contains("runs"), qPrintable(sub.out));
  }

  void initThenListRuns() {
    QTemporaryDir tmp;
    const QString dir = tmp.path() + "/ws";
    auto r = runMoon({"workspace", "init", dir});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QFile::exists(dir + "/moon.db"));
    QVERIFY(QDir(dir + "/runs").exists() && QDir(dir + "/exports").exists());
    QVERIFY2(runMoon({"workspace", "init", dir}).out.contains("already exists"), "init twice is harmless");

    r = runMoon({"workspace", "runs", dir});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("No runs"), qPrintable(r.out));

    // Runs written by a library user (the trainer) show up in the listing.
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    {
      auto ws = Workspace::open(dir.toStdString());
      RunRecord a;
      a.name = "tiny-baseline";
      a.preset = "tiny";
      a.stepsTotal = 200;
      const int64_t id = ws.createRun(a);
      ws.store().setProgress(id, 200, 200);
      ws.store().setBestMetric(id, "val/R@10", 0.8125);
      ws.store().setStatus(id, RunStatus::Completed);
      RunRecord b;
      b.name = "killed-run";
      b.status = RunStatus::Running;
      b.host = RunStore::thisHost();
      b.pid = child;  // gone: must be listed as interrupted
      ws.createRun(b);
    }
    r = runMoon({"workspace", "runs", dir});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].startsWith("ID") && lines[0].contains("STATUS"), qPrintable(r.out));
    QVERIFY2(lines[1].contains("tiny-baseline") && lines[1].contains("completed") && lines[1].contains("200/200") &&
                 lines[1].contains("val/R@10=0.8125"),
             qPrintable(r.out));
    QVERIFY2(lines[2].contains("killed-run") && lines[2].contains("interrupted"), qPrintable(r.out));

    r = runMoon({"workspace", "runs", dir, "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const auto json = nlohmann::json::parse(r.out.toStdString());
    QCOMPARE(json.size(), size_t(2));
    QCOMPARE(json[0]["name"].get<std::string>(), std::string("tiny-baseline"));
    QCOMPARE(json[0]["best_metric"].get<double>(), 0.8125);
    QCOMPARE(json[1]["status"].get<std::string>(), std::string("interrupted"));
  }

  void badArgumentsFailWithAMessage() {
    QTemporaryDir tmp;
    auto r = runMoon({"workspace", "runs", tmp.path() + "/nowhere"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("nowhere") && r.err.contains("no such workspace"), qPrintable(r.err));

    r = runMoon({"workspace", "runs", tmp.path()});  // a folder, but not a workspace
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("not a MOON workspace") && r.err.contains("moon workspace init"), qPrintable(r.err));

    r = runMoon({"workspace", "init"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("DIR"), qPrintable(r.err));

    r = runMoon({"workspace", "frobnicate"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("subcommand"), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestCliWorkspace)
#include "test_cli_workspace.moc"
