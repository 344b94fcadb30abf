#include "views/common/WorkspaceStore.h"

namespace moon {

std::unique_ptr<RunStore> openWorkspaceStore(const WorkspaceLocation& workspace) {
  return std::make_unique<RunStore>(workspace.databasePath().toStdString(), /*create=*/false);
}

std::vector<RunRecord> listRunsChecked(RunStore& store) {
  std::vector<RunRecord> runs = store.listRuns();
  bool anyRunningHere = false;
  for (const RunRecord& r : runs) anyRunningHere |= r.status == RunStatus::Running && r.host == RunStore::thisHost();
  if (anyRunningHere && !store.markDeadRunsInterrupted().empty()) runs = store.listRuns();
  return runs;
}

}  // namespace moon
