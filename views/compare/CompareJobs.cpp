#include "views/compare/CompareJobs.h"

namespace moon {

LoadCheckpointJob::LoadCheckpointJob(QString path, QString fallbackDatasetDir)
    : Job(tr("Loading checkpoint %1").arg(path)), path_(std::move(path)), fallback_(std::move(fallbackDatasetDir)) {}

bool LoadCheckpointJob::run() {
  CheckpointLoadOptions options;
  options.fallbackDatasetDir = fallback_.toStdString();
  checkpoint_ = loadCheckpoint(path_.toStdString(), options);
  setProgress(100);
  return true;
}

ComparisonJob::ComparisonJob(std::shared_ptr<InferenceContext> context, std::array<CompareInput, kCompareSlots> inputs,
                             CompareOptions options, QString checkpoint)
    : Job(tr("Comparing products")),
      context_(std::move(context)),
      inputs_(std::move(inputs)),
      options_(options),
      checkpoint_(std::move(checkpoint)) {}

bool ComparisonJob::run() {
  result_ = runComparison(*context_, inputs_, options_, [this](double fraction) {
    setProgress(100.0 * fraction);
    return !isCanceled();
  });
  if (!result_) return false;
  result_->checkpoint = checkpoint_.toStdString();
  return true;
}

}  // namespace moon
