#pragma once

// Finding a run's checkpoint folders through the run store: by run id or
// name, the best / latest / a given step (`moon eval`, `moon embed`), and
// every checkpoint of a workspace (the GUI's checkpoint pickers). Only
// folders that still exist on disk are returned.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/store/Workspace.h"

namespace moon {

struct RunCheckpoint {
  int64_t runId = 0;
  std::string runName;
  int64_t step = 0;
  bool isBest = false;
  std::optional<double> metric;  // the validation metric it was kept for (best checkpoints)
  std::filesystem::path dir;
  std::string why;  // "requested", "best (val/R@10 = 0.4375)", "latest"
};

// A run given by id ("7") or by its exact name ("ablate/-MMF"; the newest
// run of that name). Throws ConfigError naming `run` and the store.
int64_t findRun(const RunStore& store, const std::string& run);

// `step` given: that checkpoint; else the best whose folder exists, else the
// latest. Throws ConfigError when the run has none (or none at `step`, with
// the steps it has), IoError when the recorded folder is gone.
RunCheckpoint selectRunCheckpoint(const Workspace& workspace, int64_t runId, std::optional<int64_t> step);

// Every checkpoint of every run whose folder exists, newest run first and
// latest step first within a run. `workspaceRoot` resolves the runs' folders.
std::vector<RunCheckpoint> listCheckpoints(const RunStore& store, const std::filesystem::path& workspaceRoot);

}  // namespace moon
