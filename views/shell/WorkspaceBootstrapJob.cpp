#include "views/shell/WorkspaceBootstrapJob.h"

#include <QDir>
#include <QFileInfo>

#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "core/synth/CatalogueGenerator.h"

namespace moon {
namespace {

constexpr double kDemoShare = 97.0;  // of the progress bar; the store and layout take the rest

}  // namespace

WorkspaceBootstrapJob::WorkspaceBootstrapJob(WorkspaceLocation workspace, BootstrapOptions options)
    : Job(options.createDemo ? tr("Creating the demo workspace") : tr("Creating the workspace")),
      workspace_(std::move(workspace)),
      options_(std::move(options)) {}

bool WorkspaceBootstrapJob::run() {
  if (!QDir().mkpath(workspace_.root())) {
    setErrorMessage(tr("Cannot create the workspace folder %1").arg(QDir::toNativeSeparators(workspace_.root())));
    return false;
  }
  if (options_.createDemo && !createDemoCatalogue()) return false;
  if (isCanceled()) return false;
  Workspace::open(workspace_.root().toStdString(), /*create=*/true);  // throws IoError with the folder's name
  log::views()->info("Workspace ready in {}", workspace_.root().toStdString());
  setProgress(100.0);
  return true;
}

bool WorkspaceBootstrapJob::createDemoCatalogue() {
  const QString demo = workspace_.demoDatasetDir();
  if (QFileInfo::exists(demo)) return true;  // never touch a dataset that is already there
  // Ours alone (hidden, fixed name): a leftover from a launch that was killed mid-way.
  const QString partial = workspace_.datasetsDir() + QStringLiteral("/.demo-partial");
  QDir(partial).removeRecursively();

  log::views()->info("Generating the demo catalogue ({} products) in {}", options_.demo.products, demo.toStdString());
  const auto progress = [this](size_t done, size_t total) {
    if (total > 0) setProgress(kDemoShare * double(done) / double(total));
    return !isCanceled();
  };
  SynthSummary summary;
  try {
    summary = generateCatalogue(partial.toStdString(), options_.demo, progress);
  } catch (...) {
    QDir(partial).removeRecursively();
    throw;  // Job reports the message (it names the folder)
  }
  if (summary.cancelled || isCanceled()) {
    QDir(partial).removeRecursively();
    return false;
  }
  if (!QDir().rename(partial, demo)) {
    QDir(partial).removeRecursively();
    setErrorMessage(tr("Cannot move the demo catalogue into %1").arg(QDir::toNativeSeparators(demo)));
    return false;
  }
  demoProducts_ = summary.products;
  log::views()->info("Demo catalogue: {} products, {} images in {:.1f} s", summary.products, summary.images,
                     summary.seconds);
  return true;
}

}  // namespace moon
