#include "views/runs/CheckpointTimelineJob.h"

#include <algorithm>
#include <cmath>

#include "model/checkpoint/CheckpointLoader.h"
#include "model/compare/CompareRunner.h"
#include "model/compare/TripletInputs.h"
#include "training/eval/CheckpointEvaluation.h"
#include "training/eval/TextTable.h"

namespace moon {
namespace {

std::string number(double v) { return std::isfinite(v) ? std::to_string(v) : std::string(); }

}  // namespace

CheckpointTimelineJob::CheckpointTimelineJob(TimelineRequest request)
    : Job(tr("Checkpoint timeline")), request_(std::move(request)) {
  std::sort(request_.checkpoints.begin(), request_.checkpoints.end(),
            [](const RunCheckpoint& a, const RunCheckpoint& b) { return a.step < b.step; });
}

bool CheckpointTimelineJob::run() {
  const std::string dataDir = request_.dataDir.toStdString();
  const Dataset dataset = loadDatasetForSplit(dataDir, "all", false);
  const TripletInputs inputs = tripletInputs(dataset, request_.split.toStdString(), request_.triplet);
  notes_ = inputs.problems;
  const Modality queryModality =
      dataset.split(request_.split.toStdString())[std::size_t(request_.triplet)].query.modality;
  const double perCheckpoint = 100.0 / double(std::max<std::size_t>(request_.checkpoints.size(), 1));

  for (std::size_t i = 0; i < request_.checkpoints.size(); ++i) {
    if (isCanceled()) return false;
    const RunCheckpoint& c = request_.checkpoints[i];
    const double base = perCheckpoint * double(i);
    CheckpointLoadOptions load;
    load.fallbackDatasetDir = dataDir;
    const LoadedCheckpoint loaded = loadCheckpoint(c.dir.string(), load);

    CompareOptions options;  // greedy traces, as the evaluation
    const auto result = runComparison(*loaded.context, inputs.slots, options, [&](double f) {
      setProgress(base + perCheckpoint * 0.3 * f);
      return !isCanceled();
    });
    if (!result) return false;
    TimelinePoint p;
    p.step = c.step;
    p.isBest = c.isBest;
    p.queryModality = modalityName(queryModality);
    if (const CompareMargin* m = result->margin(queryModality)) {
      p.positive = m->positive;
      p.negative = m->negative;
      p.margin = m->margin;
      if (m->discValid()) {
        p.discPositive = m->discPositive;
        p.discNegative = m->discNegative;
        p.discMargin = m->discMargin;
      }
    }
    p.queryTrace = result->slots[0].multimodal.traceText;
    p.positiveTrace = result->slots[1].multimodal.traceText;
    p.negativeTrace = result->slots[2].multimodal.traceText;

    QueryMarginOptions mo;
    mo.split = request_.marginSplit.toStdString();
    mo.maxQueries = request_.marginQueries;
    mo.cancel = cancelFlag();
    mo.progress = [&](double f) { setProgress(base + perCheckpoint * (0.3 + 0.7 * f)); };
    p.validationMargins = queryMargins(loaded, dataset, mo);
    p.validationBox = boxSummary(p.validationMargins);
    points_.push_back(std::move(p));
  }
  setProgress(100);
  return true;
}

std::string timelineCsv(const std::vector<TimelinePoint>& points) {
  std::string out =
      "step,best,query_modality,cos_positive,cos_near_duplicate,margin,disc_cos_positive,disc_cos_near_duplicate,"
      "disc_margin,val_margin_count,val_margin_median,val_margin_q1,val_margin_q3,val_share_below_zero,query_trace\n";
  for (const TimelinePoint& p : points) {
    const std::vector<std::string> fields = {std::to_string(p.step),
                                             p.isBest ? "1" : "0",
                                             p.queryModality,
                                             number(p.positive),
                                             number(p.negative),
                                             number(p.margin),
                                             number(p.discPositive),
                                             number(p.discNegative),
                                             number(p.discMargin),
                                             std::to_string(p.validationBox.count),
                                             number(p.validationBox.median),
                                             number(p.validationBox.lowerQuartile),
                                             number(p.validationBox.upperQuartile),
                                             number(p.validationBox.shareBelowZero),
                                             p.queryTrace};
    for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + csvField(fields[i]);
    out += '\n';
  }
  return out;
}

}  // namespace moon
