#pragma once

// The Failures view's worker-thread job: the checkpoint's newest stored
// evaluation of a split (a run checkpoint's, from the run store), else a fresh
// evaluation (cancellable, with progress; stored when the checkpoint belongs
// to a run, so the next opening needs no re-run), then the failure list
// against the dataset the evaluation read.

#include <QString>

#include <optional>

#include "training/eval/FailureList.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

struct FailuresRequest {
  WorkspaceLocation workspace;  // may be null: the checkpoint is then evaluated, not stored
  QString checkpoint;           // folder
  QString split = QStringLiteral("test");
  bool reevaluate = false;  // ignore stored evaluations
};

struct FailuresSource {
  QString checkpoint;
  QString split;
  QString dataDir;
  bool evaluatedNow = false;
  std::optional<qint64> evaluationId;  // stored evaluation (read, or written now)
  double createdAt = 0.0;              // seconds since the epoch
  std::optional<double> meanRecallAt10;
  QString runName;
  std::optional<qint64> step;
};

class FailuresJob : public Job {
  Q_OBJECT
 public:
  explicit FailuresJob(FailuresRequest request);
  const FailuresRequest& request() const { return request_; }
  // After finished(true).
  const FailureList& failures() const { return failures_; }
  const FailuresSource& source() const { return source_; }

 protected:
  bool run() override;

 private:
  FailuresRequest request_;
  FailureList failures_;
  FailuresSource source_;
};

}  // namespace moon
