#include "views/shell/WorkspaceController.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>

#include "core/base/Logging.h"
#include "views/shell/MainWindow.h"

namespace moon {

WorkspaceController::WorkspaceController(MainWindow* window, bool interactive)
    : QObject(window), window_(window), interactive_(interactive) {
  connect(window_, &MainWindow::openWorkspaceRequested, this, &WorkspaceController::open);
}

// Dropping bootstrap_ cancels the job and waits for its worker.
WorkspaceController::~WorkspaceController() = default;

void WorkspaceController::open(const QString& root) {
  if (bootstrap_) return;  // one at a time; the progress dialog is modal anyway
  const WorkspaceLocation workspace(root);
  const QString shown = QDir::toNativeSeparators(workspace.root());
  const QFileInfo info(workspace.root());
  if (info.exists() && !info.isDir()) {
    fail(tr("%1 is a file, not a folder: it cannot be a workspace.").arg(shown));
    return;
  }
  if (workspace.isWorkspace()) {
    setOpened(workspace);
    return;
  }
  if (workspace.isMissingOrEmpty()) {
    bootstrap(workspace, /*createDemo=*/true);
    return;
  }
  // A folder with other things in it: ask before adding moon.db, runs/ and exports/ to it.
  if (interactive_ &&
      QMessageBox::question(window_, tr("Open Workspace"),
                            tr("%1 is not a MOON workspace yet.\n\nMake it one? This adds a run store (moon.db) and "
                               "the folders runs/ and exports/; nothing already there is changed.")
                                .arg(shown)) != QMessageBox::Yes)
    return;
  bootstrap(workspace, /*createDemo=*/false);
}

void WorkspaceController::bootstrap(const WorkspaceLocation& workspace, bool createDemo) {
  BootstrapOptions options;
  options.createDemo = createDemo;
  options.demo = demo_;
  log::views()->info("{} in {}", createDemo ? "Creating the demo workspace" : "Creating a workspace",
                     workspace.root().toStdString());
  bootstrap_ = makeJob<WorkspaceBootstrapJob>(workspace, options);
  if (interactive_) {
    const QString text =
        createDemo ? tr("Creating the demo workspace in\n%1\n\nRendering the synthetic product catalogue; this "
                        "happens once, on first launch.")
                   : tr("Creating the workspace in\n%1");
    progress_ =
        new QProgressDialog(text.arg(QDir::toNativeSeparators(workspace.root())), tr("Cancel"), 0, 1000, window_);
    progress_->setWindowTitle(tr("MOON Workbench"));
    progress_->setWindowModality(Qt::WindowModal);
    progress_->setMinimumDuration(300);
    progress_->setAutoClose(false);
    progress_->setAutoReset(false);
    progress_->setMinimumWidth(460);
    connect(progress_, &QProgressDialog::canceled, bootstrap_.get(), &Job::cancel);
    connect(bootstrap_.get(), &Job::progressChanged, progress_,
            [dialog = progress_](double percent) { dialog->setValue(int(percent * 10)); });
  }
  window_->statusBar()->showMessage(bootstrap_->description() + QStringLiteral("…"));
  connect(bootstrap_.get(), &Job::finished, this, &WorkspaceController::bootstrapFinished);
  bootstrap_->start();
}

void WorkspaceController::bootstrapFinished(bool ok) {
  if (progress_) progress_->deleteLater();
  const WorkspaceLocation workspace = bootstrap_->workspace();
  const Job::Status status = bootstrap_->status();
  const QString error = bootstrap_->errorMessage();
  bootstrap_.reset();
  window_->statusBar()->clearMessage();

  if (ok) {
    setOpened(workspace);
    return;
  }
  if (status == Job::Status::Canceled) {
    const QString message = tr("Creating the workspace in %1 was canceled; it will be offered again the next time "
                               "this folder is opened.")
                                .arg(QDir::toNativeSeparators(workspace.root()));
    log::views()->warn("{}", message.toStdString());
    if (interactive_) QMessageBox::information(window_, tr("Canceled"), message);
    Q_EMIT failed(message);
    return;
  }
  fail(error.isEmpty() ? tr("Could not create the workspace in %1.").arg(workspace.root()) : error);
}

void WorkspaceController::setOpened(const WorkspaceLocation& workspace) {
  log::views()->info("Opened workspace {}", workspace.root().toStdString());
  window_->setWorkspace(workspace);
  Q_EMIT opened(workspace);
}

void WorkspaceController::fail(const QString& message) {
  log::views()->error("{}", message.toStdString());
  if (interactive_) QMessageBox::warning(window_, tr("Workspace"), message);
  Q_EMIT failed(message);
}

}  // namespace moon
