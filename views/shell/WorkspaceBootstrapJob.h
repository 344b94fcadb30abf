#pragma once

#include "views/common/Job.h"
#include "views/common/Workspace.h"

namespace moon {

// First launch: creates the workspace folder and the demo dataset (the
// synthetic catalogue, core/synth) in <workspace>/datasets/demo. The catalogue
// is written to a hidden sibling folder and renamed when complete, so a
// canceled or failed run leaves no half-written "demo" behind.
class WorkspaceBootstrapJob : public Job {
  Q_OBJECT
 public:
  explicit WorkspaceBootstrapJob(Workspace workspace);

  const Workspace& workspace() const { return workspace_; }

 protected:
  bool run() override;

 private:
  bool createDemoCatalogue();

  const Workspace workspace_;
};

}  // namespace moon
