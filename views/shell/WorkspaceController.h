#pragma once

#include <QObject>
#include <QPointer>

#include "views/common/Job.h"
#include "views/common/Workspace.h"

class QProgressDialog;

namespace moon {

class MainWindow;
class WorkspaceBootstrapJob;

// Opens workspaces in the main window. A new (missing or empty) folder is
// first turned into the demo workspace by a WorkspaceBootstrapJob on a worker
// thread, with a progress dialog that can cancel it: the window stays live.
class WorkspaceController : public QObject {
  Q_OBJECT
 public:
  // interactive: progress dialog and message boxes; otherwise only log lines (--screenshot).
  WorkspaceController(MainWindow* window, bool interactive);
  ~WorkspaceController() override;

  void open(const QString& root);
  bool isBusy() const { return bool(bootstrap_); }

 Q_SIGNALS:
  void opened(const moon::Workspace& workspace);
  void failed(const QString& message);

 private:
  void bootstrap(const Workspace& workspace);
  void bootstrapFinished(bool ok);
  void fail(const QString& message);

  MainWindow* window_;
  const bool interactive_;
  JobPtr<WorkspaceBootstrapJob> bootstrap_;
  QPointer<QProgressDialog> progress_;
};

}  // namespace moon
