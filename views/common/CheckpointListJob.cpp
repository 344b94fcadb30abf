#include "views/common/CheckpointListJob.h"

#include "views/common/WorkspaceStore.h"

namespace moon {

CheckpointListJob::CheckpointListJob(WorkspaceLocation workspace)
    : Job(tr("Listing checkpoints")), workspace_(std::move(workspace)) {}

bool CheckpointListJob::run() {
  if (!workspace_.isWorkspace()) return true;  // no run yet: no checkpoint
  const auto store = openWorkspaceStore(workspace_);
  checkpoints_ = listCheckpoints(*store, workspace_.root().toStdString());
  setProgress(100);
  return true;
}

}  // namespace moon
