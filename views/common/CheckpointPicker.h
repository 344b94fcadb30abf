#pragma once

// The checkpoint chooser of the Failures and Embeddings views: a combo box of
// the workspace's checkpoints ("run · step N (best)", newest run first),
// listed by a job off the GUI thread, that can also show a folder outside the
// list (one given on the command line or by another view).

#include <QComboBox>

#include <vector>

#include "core/store/RunCheckpoints.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

class CheckpointListJob;

class CheckpointPicker : public QComboBox {
  Q_OBJECT
 public:
  explicit CheckpointPicker(QWidget* parent = nullptr);
  ~CheckpointPicker() override;

  // Lists `workspace`'s checkpoints in a job; listed() follows. The shown
  // folder stays selected.
  void list(const WorkspaceLocation& workspace);
  bool isListing() const;
  // Shows `path` (a cleaned folder path), adding it when it is not listed; emits nothing.
  void select(const QString& path);
  QString currentPath() const { return currentData().toString(); }
  // The newest run's best checkpoint, else its latest; "" when none is listed.
  QString defaultPath() const;

 Q_SIGNALS:
  void listed(bool ok, const QString& error);
  void chosen(const QString& path);  // the user picked one

 private:
  JobPtr<CheckpointListJob> job_;
  std::vector<RunCheckpoint> checkpoints_;
};

}  // namespace moon
