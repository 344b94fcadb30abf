#pragma once

// The Runs view's checkpoint timeline (issue #15 §4) as a worker-thread job:
// one triplet through every saved checkpoint of a run (cosines to the ground
// truth and the near-duplicate, their margin, the query's trace) and the
// near-duplicate margins of the validation queries at each checkpoint.

#include <QString>

#include <cmath>
#include <string>
#include <vector>

#include "core/store/RunCheckpoints.h"
#include "training/eval/QueryMargins.h"
#include "views/common/Job.h"

namespace moon {

struct TimelineRequest {
  std::vector<RunCheckpoint> checkpoints;  // any order; the job sorts by step
  QString dataDir;                         // the run's dataset
  QString split = QStringLiteral("val");   // the triplet's split
  int triplet = 0;
  QString marginSplit = QStringLiteral("val");
  std::size_t marginQueries = 200;  // per checkpoint; 0 = every mm query of marginSplit
};

struct TimelinePoint {
  int64_t step = 0;
  bool isBest = false;
  std::string queryModality;                                        // "text", "image", "mm"
  double positive = 0, negative = 0, margin = 0;                    // <emb> after the traces
  double discPositive = NAN, discNegative = NAN, discMargin = NAN;  // <disc_emb>; NaN without
  std::string queryTrace, positiveTrace, negativeTrace;
  std::vector<double> validationMargins;
  BoxSummary validationBox;
};

class CheckpointTimelineJob : public Job {
  Q_OBJECT
 public:
  explicit CheckpointTimelineJob(TimelineRequest request);
  const TimelineRequest& request() const { return request_; }
  // After finished(true): one point per checkpoint, by step.
  const std::vector<TimelinePoint>& points() const { return points_; }
  // Problems filling the triplet (an unreadable image...), reported but not fatal.
  const std::vector<std::string>& notes() const { return notes_; }

 protected:
  bool run() override;

 private:
  TimelineRequest request_;
  std::vector<TimelinePoint> points_;
  std::vector<std::string> notes_;
};

// One header line, then one line per point (RFC 4180).
std::string timelineCsv(const std::vector<TimelinePoint>& points);

}  // namespace moon
