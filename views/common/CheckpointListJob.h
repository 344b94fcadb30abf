#pragma once

// Every checkpoint of the workspace's runs (newest first) off the GUI thread,
// for the checkpoint pickers (Compare, Failures): the store is read through
// this thread's own connection.

#include <vector>

#include "core/store/RunCheckpoints.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

class CheckpointListJob : public Job {
  Q_OBJECT
 public:
  explicit CheckpointListJob(WorkspaceLocation workspace);
  // After finished(true).
  const std::vector<RunCheckpoint>& checkpoints() const { return checkpoints_; }

 protected:
  bool run() override;

 private:
  WorkspaceLocation workspace_;
  std::vector<RunCheckpoint> checkpoints_;
};

}  // namespace moon
