#include "views/shell/WorkspaceController.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>

#include "core/base/Logging.h"
#include "views/shell/MainWindow.h"
#include "views/shell/WorkspaceBootstrapJob.h"

namespace moon {

WorkspaceController::WorkspaceController(MainWindow* window, bool interactive)
    : QObject(window), window_(window), interactive_(interactive) {
  connect(window_, &MainWindow::openWorkspaceRequested, this, &WorkspaceController::open);
}

// Dropping bootstrap_ cancels the job and waits for its worker.
WorkspaceController::~WorkspaceController() = default;

void WorkspaceController::open(const QString& root) {
  if (bootstrap_) return;  // one at a time; the progress dialog is modal anyway
  const Workspace workspace(root);
  const QFileInfo info(workspace.root());
  if (info.exists() && !info.isDir()) {
    fail(tr("The workspace %1 is a file, not a folder.").arg(QDir::toNativeSeparators(workspace.root())));
    return;
  }
  if (workspace.needsBootstrap()) {
    bootstrap(workspace);
    return;
  }
  log::views()->info("Opened workspace {}", workspace.root().toStdString());
  window_->setWorkspace(workspace);
  Q_EMIT opened(workspace);
}

void WorkspaceController::bootstrap(const Workspace& workspace) {
  log::views()->info("Creating the demo workspace in {}", workspace.root().toStdString());
  bootstrap_ = makeJob<WorkspaceBootstrapJob>(workspace);
  if (interactive_) {
    progress_ = new QProgressDialog(tr("Creating the demo workspace in\n%1\n\nThis happens once, on first launch.")
                                        .arg(QDir::toNativeSeparators(workspace.root())),
                                    tr("Cancel"), 0, 1000, window_);
    progress_->setWindowTitle(tr("MOON Workbench"));
    progress_->setWindowModality(Qt::WindowModal);
    progress_->setMinimumDuration(300);
    progress_->setAutoClose(false);
    progress_->setAutoReset(false);
    connect(progress_, &QProgressDialog::canceled, bootstrap_.get(), &Job::cancel);
    connect(bootstrap_.get(), &Job::progressChanged, progress_,
            [dialog = progress_](double percent) { dialog->setValue(int(percent * 10)); });
  }
  window_->statusBar()->showMessage(tr("Creating the demo workspace…"));
  connect(bootstrap_.get(), &Job::finished, this, &WorkspaceController::bootstrapFinished);
  bootstrap_->start();
}

void WorkspaceController::bootstrapFinished(bool ok) {
  if (progress_) progress_->deleteLater();
  const Workspace workspace = bootstrap_->workspace();
  const Job::Status status = bootstrap_->status();
  const QString error = bootstrap_->errorMessage();
  bootstrap_.reset();
  window_->statusBar()->clearMessage();

  if (!ok && status == Job::Status::Failed) {
    fail(error.isEmpty() ? tr("Could not create the workspace %1.").arg(workspace.root()) : error);
    return;
  }
  if (status == Job::Status::Canceled) {
    log::views()->warn("Demo workspace creation canceled; {} has no demo dataset", workspace.root().toStdString());
    if (interactive_)
      QMessageBox::information(window_, tr("Demo canceled"),
                               tr("The demo dataset was not created. The workspace is open and empty; "
                                  "it will be offered again when you next open this folder while it is empty."));
    if (!QFileInfo(workspace.root()).isDir()) return;
  }
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
