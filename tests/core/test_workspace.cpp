#include <QTemporaryDir>
#include <QtTest>

#include <sys/wait.h>
#include <unistd.h>

#include "RunTestUtil.h"
#include "TestFiles.h"
#include "core/base/Error.h"
#include "core/store/Workspace.h"

using namespace moon;
using moon::test::namedRun;
namespace fs = std::filesystem;

class TestWorkspace : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  int counter_ = 0;
  std::string freshDir() { return dir_.path().toStdString() + "/ws" + std::to_string(++counter_); }

 private Q_SLOTS:
  void createMakesTheLayout() {
    const std::string root = freshDir();
    QVERIFY(!Workspace::exists(root));
    auto ws = Workspace::open(root, /*create=*/true);
    QVERIFY(Workspace::exists(root));
    QVERIFY(fs::is_regular_file(fs::path(root) / "moon.db"));
    QVERIFY(fs::is_directory(fs::path(root) / "runs"));
    QVERIFY(fs::is_directory(fs::path(root) / "exports"));
    QCOMPARE(ws.root(), fs::path(root));
    QCOMPARE(ws.databasePath(), fs::path(root) / "moon.db");
  }

  void createOnAnExistingWorkspaceKeepsItsRuns() {
    const std::string root = freshDir();
    int64_t id = 0;
    {
      auto ws = Workspace::open(root, true);
      id = ws.createRun(namedRun("first"));
    }
    auto again = Workspace::open(root, true);
    QCOMPARE(again.store().run(id)->name, std::string("first"));
  }

  void openingANonWorkspaceIsAClearError() {
    const std::string empty = freshDir();
    fs::create_directories(empty);
    try {
      Workspace::open(empty);
      QFAIL("expected IoError");
    } catch (const IoError& e) {
      QVERIFY2(std::string(e.what()).find("not a MOON workspace") != std::string::npos, e.what());
      QVERIFY2(std::string(e.what()).find(empty) != std::string::npos, e.what());
    }
    QVERIFY(!fs::exists(fs::path(empty) / "moon.db"));  // opening does not create
    QVERIFY_THROWS_EXCEPTION(IoError, Workspace::open(freshDir() + "/missing"));

    const std::string file = freshDir();
    test::writeAll(file, "not a folder");
    QVERIFY_THROWS_EXCEPTION(IoError, Workspace::open(file, true));
    QCOMPARE(test::readAll(file), std::string("not a folder"));
  }

  void createRunMakesItsFolder() {
    auto ws = Workspace::open(freshDir(), true);
    RunRecord r;
    r.name = "tiny";
    r.configJson = R"({"optim": {"lr": 0.01}})";
    const int64_t id = ws.createRun(r);
    QCOMPARE(ws.runDir(id), ws.root() / "runs" / std::to_string(id));
    QVERIFY(fs::is_directory(ws.checkpointsDir(id)));
    QCOMPARE(test::readAll(ws.configPath(id).string()), r.configJson);
    QCOMPARE(ws.store().run(id)->runDir, "runs/" + std::to_string(id));
    QCOMPARE(ws.logPath(id).filename().string(), std::string("train.log"));
    QCOMPARE(ws.eventsPath(id).filename().string(), std::string("events.jsonl"));
  }

  void deleteRunRemovesOnlyThatRun() {
    auto ws = Workspace::open(freshDir(), true);
    const int64_t a = ws.createRun(namedRun("a"));
    const int64_t b = ws.createRun(namedRun("b"));
    test::writeAll((ws.checkpointsDir(a) / "step-1.safetensors").string(), "weights");
    test::writeAll((ws.runDir(b) / "train.log").string(), "log of b");
    test::writeAll((ws.exportsDir() / "emb.npy").string(), "export");
    ws.store().appendMetrics(a, {{1, "loss", 1.0, 0}});

    QVERIFY(ws.deleteRun(a));
    QVERIFY(!fs::exists(ws.runDir(a)));
    QVERIFY(!ws.store().run(a));
    QVERIFY(ws.store().metrics(a, "loss").empty());
    QCOMPARE(test::readAll((ws.runDir(b) / "train.log").string()), std::string("log of b"));
    QCOMPARE(test::readAll((ws.exportsDir() / "emb.npy").string()), std::string("export"));
    QVERIFY(fs::exists(ws.databasePath()));
    QVERIFY(!ws.deleteRun(a));
  }

  // A run folder replaced by a link must not take the link's target with it.
  void deleteRunDoesNotFollowLinks() {
    auto ws = Workspace::open(freshDir(), true);
    const std::string outside = freshDir();
    fs::create_directories(outside);
    test::writeAll(outside + "/precious.txt", "keep me");
    const int64_t id = ws.createRun(namedRun("linked"));
    fs::remove_all(ws.runDir(id));
    fs::create_directory_symlink(outside, ws.runDir(id));

    QVERIFY(ws.deleteRun(id));
    QVERIFY(!fs::exists(fs::symlink_status(ws.runDir(id))));
    QCOMPARE(test::readAll(outside + "/precious.txt"), std::string("keep me"));

    // A link inside a run folder is removed, not followed.
    const int64_t id2 = ws.createRun(namedRun("inner link"));
    fs::create_directory_symlink(outside, ws.runDir(id2) / "data");
    QVERIFY(ws.deleteRun(id2));
    QCOMPARE(test::readAll(outside + "/precious.txt"), std::string("keep me"));
  }

  void aLiveRunIsNotDeletedUnlessForced() {
    auto ws = Workspace::open(freshDir(), true);
    const int64_t id = ws.createRun(namedRun("live"));
    ws.store().markRunning(id, "cpu");  // this process: alive
    QVERIFY_THROWS_EXCEPTION(Error, ws.deleteRun(id));
    QVERIFY(fs::exists(ws.runDir(id)));
    QVERIFY(ws.deleteRun(id, /*force=*/true));
    QVERIFY(!fs::exists(ws.runDir(id)));

    // A run whose process was killed can be deleted (it is marked interrupted first).
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    RunRecord r;
    r.name = "killed";
    r.status = RunStatus::Running;
    r.host = RunStore::thisHost();
    r.pid = child;
    const int64_t killed = ws.createRun(r);
    QVERIFY(ws.deleteRun(killed));
  }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
