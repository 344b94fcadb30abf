#pragma once

// The views' one way to a workspace's run store. RunStore allows one
// connection per thread, so each reader (the Runs view's poll, a job on a
// worker thread) opens its own here; none of them creates the database.

#include <memory>
#include <vector>

#include "core/store/RunStore.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

// Throws moon::Error naming the database when it cannot be opened.
std::unique_ptr<RunStore> openWorkspaceStore(const WorkspaceLocation& workspace);

// Every run, oldest first, after dead-run detection: a run of this host
// still "running" whose process is gone (SIGKILL, a crash, a reboot) is
// marked interrupted first, so no view shows it running forever.
std::vector<RunRecord> listRunsChecked(RunStore& store);

}  // namespace moon
