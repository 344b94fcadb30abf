#include "views/shell/MainWindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QUrl>

#include "core/base/Logging.h"
#include "views/common/LogModel.h"
#include "views/common/Theme.h"
#include "views/common/WorkbenchView.h"
#include "views/shell/AboutDialog.h"
#include "views/shell/LogDock.h"
#include "views/shell/ViewRegistry.h"
#include "views/shell/ViewSwitcher.h"

namespace moon {
namespace {

constexpr int kLayoutVersion = 1;  // bump when docks/tool bars change so old states are ignored
const QSize kDefaultSize(1280, 800);
constexpr int kDefaultLogHeight = 150;

}  // namespace

MainWindow::MainWindow(const ViewRegistry& views, QWidget* parent)
    : QMainWindow(parent),
      switcher_(new ViewSwitcher(this)),
      stack_(new QStackedWidget(this)),
      toolBar_(new QToolBar(tr("Main tool bar"), this)),
      logModel_(new LogModel(5000, this)),
      logDock_(new LogDock(logModel_, this)),
      workspaceLabel_(new QLabel(this)),
      viewGroup_(new QActionGroup(this)) {
  initWorkbenchResources();
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("MOON Workbench"));
  setWindowIcon(workbenchIcon(QStringLiteral("moon")));

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(switcher_);
  layout->addWidget(stack_, 1);
  setCentralWidget(central);

  toolBar_->setObjectName(QStringLiteral("mainToolBar"));
  toolBar_->setMovable(false);
  toolBar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toolBar_->setIconSize(QSize(18, 18));
  addToolBar(Qt::TopToolBarArea, toolBar_);
  addDockWidget(Qt::BottomDockWidgetArea, logDock_);

  workspaceLabel_->setObjectName(QStringLiteral("workspaceLabel"));
  statusBar()->addPermanentWidget(workspaceLabel_);
  setWorkspace(WorkspaceLocation());

  createActions();
  for (const auto& factory : views.factories()) addView(factory(stack_));
  createMenus();

  connect(switcher_, &QListWidget::currentRowChanged, this, &MainWindow::onCurrentChanged);
  if (!views_.empty()) switcher_->setCurrentRow(0);

  resize(kDefaultSize);
  resizeDocks({logDock_}, {kDefaultLogHeight}, Qt::Vertical);
  defaultState_ = saveState(kLayoutVersion);
}

MainWindow::~MainWindow() = default;

void MainWindow::addView(WorkbenchView* view) {
  const int index = int(views_.size());
  views_.push_back(view);
  // Each view sits in a scroll area, so no view's minimum size can hold the
  // window wider than a small screen: a view too wide for the window scrolls.
  auto* frame = new QScrollArea(stack_);
  frame->setObjectName(view->id() + QStringLiteral("Frame"));
  frame->setFrameShape(QFrame::NoFrame);
  frame->setWidgetResizable(true);
  frame->setWidget(view);
  stack_->addWidget(frame);

  auto* action = new QAction(view->icon(), view->title(), this);
  action->setCheckable(true);
  action->setData(view->id());
  if (index < 9) action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + index)));
  action->setShortcutContext(Qt::ApplicationShortcut);
  viewGroup_->addAction(action);
  viewActions_.push_back(action);
  addAction(action);  // shortcuts work even with the menu bar hidden
  connect(action, &QAction::triggered, this, [this, index] { switcher_->setCurrentRow(index); });

  switcher_->addView(*view, action->shortcut());
  connect(view, &WorkbenchView::statusMessage, this,
          [this](const QString& text, int timeoutMs) { statusBar()->showMessage(text, timeoutMs); });
  connect(view, &WorkbenchView::workspaceRequested, this, &MainWindow::openWorkspaceRequested);
  connect(view, &WorkbenchView::openRequested, this, [this](const QString& id, const QVariantMap& request) {
    if (WorkbenchView* target = this->view(id)) {
      target->handleRequest(request);
      showView(id);
    }
  });
  if (!workspace_.isNull()) view->setWorkspace(workspace_);
}

void MainWindow::createActions() {
  openWorkspace_ = new QAction(workbenchIcon(QStringLiteral("folder-open")), tr("&Open Workspace…"), this);
  openWorkspace_->setShortcut(QKeySequence::Open);
  openWorkspace_->setToolTip(tr("Open another workspace folder"));
  connect(openWorkspace_, &QAction::triggered, this, &MainWindow::chooseWorkspace);

  revealWorkspace_ = new QAction(workbenchIcon(QStringLiteral("folder")), tr("Show Workspace &Folder"), this);
  revealWorkspace_->setToolTip(tr("Open the workspace folder in the file manager"));
  connect(revealWorkspace_, &QAction::triggered, this, &MainWindow::revealWorkspace);

  resetLayout_ = new QAction(workbenchIcon(QStringLiteral("layout-reset")), tr("&Reset Layout"), this);
  resetLayout_->setToolTip(tr("Put the window, tool bar and docks back where they started"));
  connect(resetLayout_, &QAction::triggered, this, &MainWindow::resetLayout);

  quit_ = new QAction(tr("&Quit"), this);
  quit_->setShortcut(QKeySequence::Quit);
  quit_->setMenuRole(QAction::QuitRole);
  connect(quit_, &QAction::triggered, this, &QWidget::close);

  about_ = new QAction(workbenchIcon(QStringLiteral("about")), tr("&About MOON Workbench"), this);
  about_->setMenuRole(QAction::AboutRole);
  connect(about_, &QAction::triggered, this, [this] { showAboutDialog(this); });
  aboutQt_ = new QAction(tr("About &Qt"), this);
  aboutQt_->setMenuRole(QAction::AboutQtRole);
  connect(aboutQt_, &QAction::triggered, qApp, &QApplication::aboutQt);

  QAction* toggleLog = logDock_->toggleViewAction();
  toggleLog->setIcon(workbenchIcon(QStringLiteral("log")));
  toggleLog->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  addAction(toggleLog);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(openWorkspace_);
  file->addAction(revealWorkspace_);
  file->addSeparator();
  file->addAction(quit_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  for (QAction* a : viewActions_) view->addAction(a);
  view->addSeparator();
  view->addAction(logDock_->toggleViewAction());
  view->addAction(toolBar_->toggleViewAction());
  view->addSeparator();
  view->addAction(resetLayout_);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(about_);
  help->addAction(aboutQt_);
}

QStringList MainWindow::viewIds() const {
  QStringList ids;
  for (const WorkbenchView* v : views_) ids << v->id();
  return ids;
}

WorkbenchView* MainWindow::view(const QString& id) const {
  for (WorkbenchView* v : views_)
    if (v->id() == id) return v;
  return nullptr;
}

WorkbenchView* MainWindow::currentView() const { return current_ >= 0 ? views_[size_t(current_)] : nullptr; }

QString MainWindow::currentViewId() const {
  const WorkbenchView* v = currentView();
  return v ? v->id() : QString();
}

bool MainWindow::showView(const QString& id) {
  for (int i = 0; i < int(views_.size()); ++i) {
    if (views_[size_t(i)]->id() != id) continue;
    switcher_->setCurrentRow(i);
    return true;
  }
  return false;
}

void MainWindow::onCurrentChanged(int index) {
  if (index < 0 || index >= int(views_.size())) return;
  if (index == current_) return;
  if (current_ >= 0) views_[size_t(current_)]->deactivated();
  current_ = index;
  WorkbenchView* next = views_[size_t(index)];

  toolBar_->clear();
  toolBar_->addAction(openWorkspace_);
  const QList<QAction*> actions = next->toolBarActions();
  if (!actions.isEmpty()) toolBar_->addSeparator();
  toolBar_->addActions(actions);

  stack_->setCurrentIndex(index);
  viewActions_[size_t(index)]->setChecked(true);
  next->setFocus(Qt::OtherFocusReason);  // keyboard input goes to the view, not the log or the sidebar
  next->activated();
  Q_EMIT currentViewChanged(next->id());
}

void MainWindow::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  if (workspace_.isNull()) {
    workspaceLabel_->setText(tr("No workspace open"));
    workspaceLabel_->setToolTip({});
    setWindowTitle(tr("MOON Workbench"));
  } else {
    workspaceLabel_->setText(tr("Workspace: %1").arg(QDir::toNativeSeparators(workspace_.root())));
    workspaceLabel_->setToolTip(QDir::toNativeSeparators(workspace_.root()));
    setWindowTitle(tr("%1 — MOON Workbench").arg(QDir(workspace_.root()).dirName()));
  }
  if (revealWorkspace_) revealWorkspace_->setEnabled(!workspace_.isNull());
  for (WorkbenchView* v : views_) v->setWorkspace(workspace_);
}

void MainWindow::saveLayout(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("window"));
  settings.setValue(QStringLiteral("geometry"), saveGeometry());
  settings.setValue(QStringLiteral("state"), saveState(kLayoutVersion));
  settings.setValue(QStringLiteral("view"), currentViewId());
  settings.endGroup();
}

bool MainWindow::restoreLayout(const QSettings& settings) {
  const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
  const QByteArray state = settings.value(QStringLiteral("window/state")).toByteArray();
  const QString view = settings.value(QStringLiteral("window/view")).toString();
  bool ok = !geometry.isEmpty() && restoreGeometry(geometry);
  ok = !state.isEmpty() && restoreState(state, kLayoutVersion) && ok;
  if (!view.isEmpty()) showView(view);
  return ok;
}

void MainWindow::resetLayout() {
  restoreState(defaultState_, kLayoutVersion);
  logDock_->setFloating(false);
  logDock_->show();
  toolBar_->show();
  if (isMaximized() || isFullScreen()) showNormal();
  resize(kDefaultSize);
  resizeDocks({logDock_}, {kDefaultLogHeight}, Qt::Vertical);
  log::views()->info("Window layout reset");
}

void MainWindow::chooseWorkspace() {
  const QString start = workspace_.isNull() ? QDir::homePath() : workspace_.root();
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open Workspace"), start);
  if (!dir.isEmpty()) Q_EMIT openWorkspaceRequested(dir);
}

void MainWindow::revealWorkspace() {
  if (!workspace_.isNull()) QDesktopServices::openUrl(QUrl::fromLocalFile(workspace_.root()));
}

}  // namespace moon
