#pragma once

#include "core/synth/SynthOptions.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

struct BootstrapOptions {
  bool createDemo = true;  // the synthetic catalogue in datasets/demo
  SynthOptions demo;       // its size and seed (the generator's defaults)
};

// Turns a folder into a workspace: the demo dataset first (the synthetic
// catalogue, core/synth), then the run store and layout (core/store/Workspace).
// The store comes last so a first launch that is canceled or killed is simply
// a first launch again next time. The catalogue is written to a hidden
// sibling folder and renamed when complete: no half-written "demo" is left.
class WorkspaceBootstrapJob : public Job {
  Q_OBJECT
 public:
  WorkspaceBootstrapJob(WorkspaceLocation workspace, BootstrapOptions options);

  const WorkspaceLocation& workspace() const { return workspace_; }
  // Owning thread, after finished(): products in the new demo dataset (0 if none was made).
  size_t demoProducts() const { return demoProducts_; }

 protected:
  bool run() override;

 private:
  bool createDemoCatalogue();

  const WorkspaceLocation workspace_;
  const BootstrapOptions options_;
  size_t demoProducts_ = 0;  // written by run()
};

}  // namespace moon
