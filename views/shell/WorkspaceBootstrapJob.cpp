#include "views/shell/WorkspaceBootstrapJob.h"

#include <QDir>

#include "core/base/Logging.h"

namespace moon {

WorkspaceBootstrapJob::WorkspaceBootstrapJob(Workspace workspace)
    : Job(tr("Creating the demo workspace")), workspace_(std::move(workspace)) {}

bool WorkspaceBootstrapJob::run() {
  if (!QDir().mkpath(workspace_.root())) {
    setErrorMessage(tr("Cannot create the workspace folder %1").arg(QDir::toNativeSeparators(workspace_.root())));
    return false;
  }
  log::views()->info("Workspace folder {}", workspace_.root().toStdString());
  if (!createDemoCatalogue()) return false;
  setProgress(100.0);
  return !isCanceled();
}

bool WorkspaceBootstrapJob::createDemoCatalogue() {
  // ---------------------------------------------------------------------------
  // CALL SITE: core/synth generateCatalogue(outDir, options, progress).
  // The generator has not landed on main yet. When it does, this becomes:
  //   const QString partial = workspace_.datasetsDir() + "/.demo-partial";
  //   QDir(partial).removeRecursively();           // ours, from an interrupted launch
  //   QDir().mkpath(partial);
  //   generateCatalogue(partial, demo options, [this](done, total) {
  //     setProgress(100.0 * done / total); return !isCanceled(); });
  //   on cancel or error: QDir(partial).removeRecursively(); return false;
  //   QDir().rename(partial, workspace_.demoDatasetDir());
  // Until then only the (empty) workspace folder exists, so the next launch
  // still counts as a first launch and creates the demo once it can.
  // ---------------------------------------------------------------------------
  log::views()->info("The synthetic catalogue generator is not available in this build; no demo dataset created");
  return true;
}

}  // namespace moon
