#pragma once

#include <QObject>
#include <QPointer>

#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"
#include "views/shell/WorkspaceBootstrapJob.h"

class QProgressDialog;

namespace moon {

class MainWindow;

// Opens workspaces in the main window. A folder that is not a workspace yet
// is made one by a WorkspaceBootstrapJob on a worker thread (with the demo
// catalogue when the folder is new or empty), behind a progress dialog that
// can cancel it: the window stays live throughout.
class WorkspaceController : public QObject {
  Q_OBJECT
 public:
  // interactive: progress dialog, questions and message boxes; otherwise
  // log lines only and no questions asked (--screenshot, tests).
  WorkspaceController(MainWindow* window, bool interactive);
  ~WorkspaceController() override;

  // The demo catalogue's size and seed (defaults: the generator's).
  void setDemoOptions(const SynthOptions& options) { demo_ = options; }

  void open(const QString& root);
  bool isBusy() const { return bool(bootstrap_); }

 Q_SIGNALS:
  void opened(const moon::WorkspaceLocation& workspace);
  void failed(const QString& message);

 private:
  void bootstrap(const WorkspaceLocation& workspace, bool createDemo);
  void bootstrapFinished(bool ok);
  void setOpened(const WorkspaceLocation& workspace);
  void fail(const QString& message);

  MainWindow* window_;
  const bool interactive_;
  SynthOptions demo_;
  JobPtr<WorkspaceBootstrapJob> bootstrap_;
  QPointer<QProgressDialog> progress_;
};

}  // namespace moon
