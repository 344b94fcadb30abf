#include <QAction>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBar>
#include <QTreeWidget>

#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "model/BuildInfo.h"
#include "views/common/WorkbenchView.h"
#include "views/shell/AboutDialog.h"
#include "views/shell/LogDock.h"
#include "views/shell/MainWindow.h"
#include "views/shell/OverviewView.h"
#include "views/shell/StandardViews.h"
#include "views/shell/ViewSwitcher.h"
#include "views/shell/WorkspaceBootstrapJob.h"
#include "views/shell/WorkspaceController.h"
#include "views/shell/WorkspaceScanJob.h"

using namespace moon;

namespace {

// A stand-in for a later view (Runs, Compare…): records what the shell tells it.
template <char Letter>
class FakeView : public WorkbenchView {
 public:
  explicit FakeView(QWidget* parent) : WorkbenchView(parent), action_(new QAction(name() + " action", this)) {}
  static QString name() { return QStringLiteral("fake-") + QChar(Letter); }
  QString id() const override { return name(); }
  QString title() const override { return QStringLiteral("Fake ") + QChar(Letter); }
  QIcon icon() const override { return {}; }
  QList<QAction*> toolBarActions() const override { return {action_}; }
  void setWorkspace(const WorkspaceLocation& w) override { workspace = w; }
  void activated() override { ++activations; }
  void deactivated() override { ++deactivations; }
  void say(const QString& text) { Q_EMIT statusMessage(text, 0); }

  QAction* action_;
  WorkspaceLocation workspace;
  int activations = 0;
  int deactivations = 0;
};
using ViewA = FakeView<'a'>;
using ViewB = FakeView<'b'>;

ViewRegistry registryWithFakes() {
  ViewRegistry r = standardViews();
  r.add<ViewA>();
  r.add<ViewB>();
  return r;
}

SynthOptions tinyCatalogue() {
  SynthOptions o;
  o.products = 12;
  o.imageSize = 32;
  o.threads = 2;
  return o;
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QDir().mkpath(QFileInfo(path).absolutePath());
  QFile f(path);
  QVERIFY(f.open(QIODevice::WriteOnly));
  f.write(bytes);
}

bool toolBarHas(MainWindow& w, QAction* action) {
  return w.findChild<QToolBar*>(QStringLiteral("mainToolBar"))->actions().contains(action);
}

}  // namespace

class TestShellWindow : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    initLogging();
    setStderrLogLevel(spdlog::level::off);
  }

  void standardViewsStartWithTheOverview() {
    MainWindow w(standardViews());
    QVERIFY(!w.viewIds().isEmpty());
    QCOMPARE(w.viewIds().first(), QStringLiteral("overview"));
    QCOMPARE(w.currentViewId(), QStringLiteral("overview"));
    QVERIFY(qobject_cast<OverviewView*>(w.view(QStringLiteral("overview"))));
  }

  void addingAViewIsOneCall() {
    const int before = int(standardViews().factories().size());
    MainWindow w(registryWithFakes());
    const QStringList ids = w.viewIds();
    QCOMPARE(ids.size(), before + 2);
    QCOMPARE(ids.at(before), ViewA::name());
    QCOMPARE(ids.at(before + 1), ViewB::name());
    auto* sidebar = w.findChild<ViewSwitcher*>();
    QVERIFY(sidebar);
    QCOMPARE(sidebar->count(), ids.size());
    QCOMPARE(sidebar->item(before)->text(), QStringLiteral("Fake a"));
    // Ctrl+N in the View menu, in registry order.
    QStringList shortcuts;
    for (QAction* a : w.menuBar()->actions().at(1)->menu()->actions())
      if (!a->data().toString().isEmpty()) shortcuts << a->shortcut().toString(QKeySequence::PortableText);
    QCOMPARE(shortcuts.size(), ids.size());
    for (int i = 0; i < shortcuts.size(); ++i) QCOMPARE(shortcuts[i], QStringLiteral("Ctrl+%1").arg(i + 1));
  }

  void shortcutsSwitchViewsAndTheirToolBarActions() {
    MainWindow w(registryWithFakes());
    const int a = int(w.viewIds().indexOf(ViewA::name()));
    QVERIFY(a >= 0 && a < 8);
    w.show();
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QSignalSpy changed(&w, &MainWindow::currentViewChanged);
    auto* viewA = static_cast<ViewA*>(w.view(ViewA::name()));
    auto* viewB = static_cast<ViewB*>(w.view(ViewB::name()));

    QTest::keyClick(&w, Qt::Key(Qt::Key_1 + a), Qt::ControlModifier);
    QCOMPARE(w.currentViewId(), ViewA::name());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.last().first().toString(), ViewA::name());
    QCOMPARE(viewA->activations, 1);
    QVERIFY(toolBarHas(w, viewA->action_));
    QVERIFY(!toolBarHas(w, viewB->action_));

    QTest::keyClick(&w, Qt::Key(Qt::Key_2 + a), Qt::ControlModifier);
    QCOMPARE(w.currentViewId(), ViewB::name());
    QCOMPARE(viewA->deactivations, 1);
    QVERIFY(toolBarHas(w, viewB->action_));
    QVERIFY(!toolBarHas(w, viewA->action_));
    QCOMPARE(w.findChild<ViewSwitcher*>()->currentRow(), a + 1);

    QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(w.currentViewId(), QStringLiteral("overview"));
    QCOMPARE(changed.count(), 3);

    // Clicking the sidebar does the same.
    w.findChild<ViewSwitcher*>()->setCurrentRow(a);
    QCOMPARE(w.currentViewId(), ViewA::name());
  }

  void unknownViewIsRefused() {
    MainWindow w(registryWithFakes());
    QVERIFY(!w.showView(QStringLiteral("no-such-view")));
    QCOMPARE(w.currentViewId(), QStringLiteral("overview"));
    QVERIFY(w.view(QStringLiteral("no-such-view")) == nullptr);
  }

  void workspaceAndStatusMessagesAreWired() {
    MainWindow w(registryWithFakes());
    QTemporaryDir dir;
    w.setWorkspace(WorkspaceLocation(dir.path()));
    auto* viewA = static_cast<ViewA*>(w.view(ViewA::name()));
    QCOMPARE(viewA->workspace.root(), QDir::cleanPath(dir.path()));
    QVERIFY(w.windowTitle().contains(QDir(dir.path()).dirName()));
    viewA->say(QStringLiteral("hello from a view"));
    QCOMPARE(w.statusBar()->currentMessage(), QStringLiteral("hello from a view"));
  }

  void layoutRoundTripsThroughSettings() {
    QTemporaryDir dir;
    const QString ini = dir.filePath(QStringLiteral("layout.ini"));
    {
      MainWindow w(registryWithFakes());
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      w.resize(900, 640);
      w.logDock()->hide();
      QVERIFY(w.showView(ViewB::name()));
      QSettings s(ini, QSettings::IniFormat);
      w.saveLayout(s);
    }
    MainWindow w(registryWithFakes());
    QSettings s(ini, QSettings::IniFormat);
    QVERIFY(w.restoreLayout(s));
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.size(), QSize(900, 640));
    QVERIFY(w.logDock()->isHidden());
    QCOMPARE(w.currentViewId(), ViewB::name());

    w.resetLayout();
    QVERIFY(w.logDock()->isVisible());
    QCOMPARE(w.size(), QSize(1280, 800));
  }

  void restoringFromEmptySettingsKeepsTheDefaults() {
    QTemporaryDir dir;
    QSettings s(dir.filePath(QStringLiteral("empty.ini")), QSettings::IniFormat);
    MainWindow w(registryWithFakes());
    QVERIFY(!w.restoreLayout(s));
    QCOMPARE(w.currentViewId(), QStringLiteral("overview"));
    QVERIFY(!w.logDock()->isHidden());
  }

  void aboutNamesTheBuildQtAndLibTorch() {
    const QString torch = QString::fromStdString(torchVersion());
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d+\\.\\d+")).match(torch).hasMatch(), qPrintable(torch));
    const QString text = aboutText();
    QVERIFY(text.contains(torch));
    QVERIFY(text.contains(QString::fromLatin1(qVersion())));
    // The commit the binary came from (git is there in a checkout) and what LibTorch can reach.
    const QString commit = QString::fromStdString(gitCommit());
    QVERIFY2(QRegularExpression(QStringLiteral("^([0-9a-f]{12}(-modified)?|unknown)$")).match(commit).hasMatch(),
             qPrintable(commit));
    QVERIFY2(text.contains(commit), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("LibTorch")), qPrintable(text));
    QVERIFY(text.contains(QString::fromStdString(torchCudaSummary())));
  }

  void countLinesCountsAnUnterminatedLastLine() {
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("a")), "x\ny\nz");
    writeFile(dir.filePath(QStringLiteral("b")), "x\ny\n");
    writeFile(dir.filePath(QStringLiteral("c")), "");
    QCOMPARE(WorkspaceScanJob::countLines(dir.filePath(QStringLiteral("a"))), 3);
    QCOMPARE(WorkspaceScanJob::countLines(dir.filePath(QStringLiteral("b"))), 2);
    QCOMPARE(WorkspaceScanJob::countLines(dir.filePath(QStringLiteral("c"))), 0);
    QCOMPARE(WorkspaceScanJob::countLines(dir.filePath(QStringLiteral("missing"))), -1);
  }

  void overviewShowsTheWorkspacesDatasetsAndRuns() {
    QTemporaryDir dir;
    const WorkspaceLocation ws(dir.path());
    {
      Workspace store = Workspace::open(dir.path().toStdString(), /*create=*/true);
      for (const char* name : {"first", "second", "third"}) {
        RunRecord run;
        run.name = name;
        run.preset = "micro";
        store.createRun(run);
      }
      store.store().setStatus(1, RunStatus::Completed);
      store.store().setStatus(3, RunStatus::Failed, "diverged");
    }
    writeFile(ws.datasetsDir() + "/shoes/products.jsonl", "{}\n{}\n{}\n");
    writeFile(ws.datasetsDir() + "/shoes/train.jsonl", "{}\n{}\n");
    writeFile(ws.datasetsDir() + "/shoes/images/1.png", "png");
    writeFile(ws.datasetsDir() + "/not-a-dataset/readme.txt", "hi");

    MainWindow w(standardViews());
    w.setWorkspace(ws);
    auto* overview = w.view(QStringLiteral("overview"));
    QTRY_VERIFY_WITH_TIMEOUT(overview->isReady(), 10000);
    auto* datasets = overview->findChild<QTreeWidget*>(QStringLiteral("datasetsTable"));
    QVERIFY(datasets);
    QCOMPARE(datasets->topLevelItemCount(), 1);
    QCOMPARE(datasets->topLevelItem(0)->text(0), QStringLiteral("shoes"));
    QCOMPARE(datasets->topLevelItem(0)->text(1), QStringLiteral("3"));
    QCOMPARE(datasets->topLevelItem(0)->text(2), QStringLiteral("2"));
    QCOMPARE(datasets->topLevelItem(0)->text(5), QStringLiteral("1"));
    auto* contents = overview->findChild<QTreeWidget*>(QStringLiteral("contentsTable"));
    QStringList names;
    for (int i = 0; i < contents->topLevelItemCount(); ++i) names << contents->topLevelItem(i)->text(0);
    QVERIFY2(names.contains("datasets") && names.contains("runs") && names.contains("moon.db"),
             qPrintable(names.join(',')));

    // Runs come from the run store, newest first.
    QCOMPARE(overview->findChild<QLabel*>(QStringLiteral("bigNumber"))->text(), QStringLiteral("3"));
    auto* runs = overview->findChild<QTreeWidget*>(QStringLiteral("runsTable"));
    QCOMPARE(runs->topLevelItemCount(), 3);
    QCOMPARE(runs->topLevelItem(0)->text(0), QStringLiteral("third"));
    QCOMPARE(runs->topLevelItem(0)->text(1), QStringLiteral("failed"));
    QCOMPARE(runs->topLevelItem(0)->toolTip(1), QStringLiteral("diverged"));
    QCOMPARE(runs->topLevelItem(2)->text(1), QStringLiteral("completed"));
  }

  void overviewOfAFolderWithoutAStoreShowsNoRuns() {
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("notes.txt")), "mine");
    MainWindow w(standardViews());
    w.setWorkspace(WorkspaceLocation(dir.path()));
    auto* overview = w.view(QStringLiteral("overview"));
    QTRY_VERIFY_WITH_TIMEOUT(overview->isReady(), 10000);
    QCOMPARE(overview->findChild<QLabel*>(QStringLiteral("bigNumber"))->text(), QStringLiteral("—"));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("moon.db"))));  // reading never creates a store
  }

  void locationKnowsWorkspacesAndNewFolders() {
    QTemporaryDir dir;
    QVERIFY(WorkspaceLocation(dir.filePath(QStringLiteral("new"))).isMissingOrEmpty());
    QVERIFY(WorkspaceLocation(dir.path()).isMissingOrEmpty());
    writeFile(dir.filePath(QStringLiteral("notes.txt")), "mine");
    QVERIFY(!WorkspaceLocation(dir.path()).isMissingOrEmpty());
    QVERIFY(!WorkspaceLocation(dir.path()).isWorkspace());
    Workspace::open(dir.path().toStdString(), /*create=*/true);
    QVERIFY(WorkspaceLocation(dir.path()).isWorkspace());
    QVERIFY(!WorkspaceLocation().isMissingOrEmpty());
    QVERIFY(!WorkspaceLocation().isWorkspace());
  }

  void bootstrapCreatesTheDemoDatasetThenTheStore() {
    QTemporaryDir dir;
    const WorkspaceLocation ws(dir.filePath(QStringLiteral("a/b/workspace")));
    auto job = makeJob<WorkspaceBootstrapJob>(ws, BootstrapOptions{true, tinyCatalogue()});
    QSignalSpy progress(job.get(), &Job::progressChanged);
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QVERIFY2(finished.first().first().toBool(), qPrintable(job->errorMessage()));
    QVERIFY(ws.isWorkspace());
    QCOMPARE(WorkspaceScanJob::countLines(ws.demoDatasetDir() + "/products.jsonl"), 12);
    QVERIFY(QFile::exists(ws.demoDatasetDir() + "/train.jsonl"));
    QVERIFY(!QFileInfo::exists(ws.datasetsDir() + "/.demo-partial"));
    QCOMPARE(job->demoProducts(), size_t(12));
    QVERIFY(progress.count() >= 1);
    QCOMPARE(progress.last().first().toDouble(), 100.0);
  }

  void canceledBootstrapLeavesNoDemoAndNoStore() {
    QTemporaryDir dir;
    const WorkspaceLocation ws(dir.filePath(QStringLiteral("workspace")));
    auto job = makeJob<WorkspaceBootstrapJob>(ws, BootstrapOptions{true, tinyCatalogue()});
    QSignalSpy finished(job.get(), &Job::finished);
    job->cancel();  // the generator's first progress call already says stop
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    QCOMPARE(job->status(), Job::Status::Canceled);
    QVERIFY(!ws.isWorkspace());  // so the next launch offers the demo again
    QVERIFY(!QFileInfo::exists(ws.demoDatasetDir()));
    QVERIFY(!QFileInfo::exists(ws.datasetsDir() + "/.demo-partial"));
    QVERIFY(WorkspaceLocation(ws.root()).isMissingOrEmpty() || QDir(ws.datasetsDir()).isEmpty());
  }

  void bootstrapWithoutDemoKeepsWhatIsInTheFolder() {
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("mine/notes.txt")), "mine");
    const WorkspaceLocation ws(dir.filePath(QStringLiteral("mine")));
    auto job = makeJob<WorkspaceBootstrapJob>(ws, BootstrapOptions{false, tinyCatalogue()});
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
    QVERIFY(finished.first().first().toBool());
    QVERIFY(ws.isWorkspace());
    QVERIFY(!QFileInfo::exists(ws.datasetsDir()));
    QFile notes(dir.filePath(QStringLiteral("mine/notes.txt")));
    QVERIFY(notes.open(QIODevice::ReadOnly));
    QCOMPARE(notes.readAll(), QByteArray("mine"));
  }

  void bootstrapJobReportsAFolderItCannotCreate() {
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("file")), "x");
    auto job = makeJob<WorkspaceBootstrapJob>(WorkspaceLocation(dir.filePath(QStringLiteral("file/workspace"))),
                                              BootstrapOptions{true, tinyCatalogue()});
    QSignalSpy finished(job.get(), &Job::finished);
    job->start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
    QCOMPARE(finished.first().first().toBool(), false);
    QVERIFY(job->errorMessage().contains(QStringLiteral("file/workspace")));
  }

  void controllerOpensExistingAndNewWorkspacesAndRefusesFiles() {
    QTemporaryDir dir;
    MainWindow w(standardViews());
    WorkspaceController controller(&w, /*interactive=*/false);
    controller.setDemoOptions(tinyCatalogue());
    QSignalSpy opened(&controller, &WorkspaceController::opened);
    QSignalSpy failed(&controller, &WorkspaceController::failed);
    const auto root = [&](const char* name) { return QDir::cleanPath(dir.filePath(QString::fromLatin1(name))); };

    Workspace::open(root("existing").toStdString(), /*create=*/true);
    controller.open(root("existing"));
    QCOMPARE(opened.count(), 1);  // a workspace opens at once
    QVERIFY(!controller.isBusy());
    QCOMPARE(w.workspace().root(), root("existing"));

    controller.open(root("fresh"));  // first launch: demo, then store, on a worker
    QVERIFY(controller.isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 2, 60000);
    QVERIFY(!controller.isBusy());
    QCOMPARE(w.workspace().root(), root("fresh"));
    QVERIFY(QFile::exists(root("fresh") + "/datasets/demo/products.jsonl"));

    writeFile(root("papers") + "/paper.pdf", "%PDF");  // someone's folder: becomes a workspace, no demo
    controller.open(root("papers"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 3, 30000);
    QVERIFY(WorkspaceLocation(root("papers")).isWorkspace());
    QVERIFY(!QFileInfo::exists(root("papers") + "/datasets"));
    QVERIFY(QFile::exists(root("papers") + "/paper.pdf"));

    controller.open(root("papers") + "/paper.pdf");
    QCOMPARE(failed.count(), 1);
    QCOMPARE(w.workspace().root(), root("papers"));
  }
};

QTEST_MAIN(TestShellWindow)
#include "test_shell_window.moc"
