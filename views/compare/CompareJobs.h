#pragma once

// The Compare view's worker-thread jobs. They call model/compare through
// headers that name no LibTorch type, so no views file compiles <torch/torch.h>.

#include <QString>

#include <array>
#include <memory>
#include <optional>

#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/CompareRunner.h"
#include "views/common/CheckpointListJob.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

class LoadCheckpointJob : public Job {
  Q_OBJECT
 public:
  LoadCheckpointJob(QString path, QString fallbackDatasetDir);
  QString path() const { return path_; }
  // After finished(true).
  const LoadedCheckpoint& checkpoint() const { return checkpoint_; }

 protected:
  bool run() override;

 private:
  QString path_, fallback_;
  LoadedCheckpoint checkpoint_;
};

class ComparisonJob : public Job {
  Q_OBJECT
 public:
  ComparisonJob(std::shared_ptr<InferenceContext> context, std::array<CompareInput, kCompareSlots> inputs,
                CompareOptions options, QString checkpoint);
  // After finished(true).
  const ComparisonResult& result() const { return *result_; }

 protected:
  bool run() override;

 private:
  std::shared_ptr<InferenceContext> context_;
  std::array<CompareInput, kCompareSlots> inputs_;
  CompareOptions options_;
  QString checkpoint_;
  std::optional<ComparisonResult> result_;
};

}  // namespace moon
