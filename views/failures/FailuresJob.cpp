#include "views/failures/FailuresJob.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include "core/base/Error.h"
#include "training/eval/CheckpointEvaluation.h"
#include "views/common/WorkspaceStore.h"

namespace moon {
namespace {

// Evaluation stages (Evaluator.cpp's names) in the order they run, each
// with its share of the job: the gallery and the traced queries dominate.
double stageProgress(const std::string& stage, std::size_t done, std::size_t total) {
  struct Span {
    const char* prefix;
    double from, to;
  };
  static const Span kSpans[] = {{"gallery mm", 2, 30},  {"queries text", 30, 45}, {"queries image", 45, 60},
                                {"queries mm", 60, 80}, {"gallery", 80, 88},      {"products", 80, 88},
                                {"prototypes", 88, 97}};
  const double inStage = total > 0 ? double(done) / double(total) : 1.0;
  for (const Span& s : kSpans)
    if (stage.rfind(s.prefix, 0) == 0) return s.from + (s.to - s.from) * inStage;
  return 97;
}

}  // namespace

FailuresJob::FailuresJob(FailuresRequest request)
    : Job(tr("Reading the failures of %1").arg(request.checkpoint)), request_(std::move(request)) {}

bool FailuresJob::run() {
  const std::string split = request_.split.toStdString();
  const std::filesystem::path dir = request_.checkpoint.toStdString();
  source_.checkpoint = request_.checkpoint;
  source_.split = request_.split;

  std::unique_ptr<RunStore> store;
  std::optional<RunCheckpoint> runCheckpoint;
  if (request_.workspace.isWorkspace()) {
    store = openWorkspaceStore(request_.workspace);
    runCheckpoint = findRunCheckpoint(*store, request_.workspace.root().toStdString(), dir);
  }
  if (runCheckpoint) {
    source_.runName = QString::fromStdString(runCheckpoint->runName);
    source_.step = runCheckpoint->step;
  }

  EvaluationResult result;
  std::string dataDir;
  std::optional<EvaluationRecord> stored;
  if (runCheckpoint && !request_.reevaluate)
    stored = findStoredEvaluation(*store, runCheckpoint->runId, runCheckpoint->step, split);
  if (stored) {
    const nlohmann::json json = nlohmann::json::parse(stored->resultsJson, nullptr, false);
    if (json.is_discarded())
      throw FormatError(request_.workspace.databasePath().toStdString() + ": evaluation " + std::to_string(stored->id) +
                        " is not valid JSON");
    result = EvaluationResult::fromJson(json);
    dataDir = json.value("data", std::string());
    source_.evaluationId = stored->id;
    source_.createdAt = stored->createdAt;
  } else {
    CheckpointEvaluationOptions o;
    o.split = split;
    o.cancel = cancelFlag();
    // A bare model checkpoint names no dataset: the workspace's demo catalogue then.
    if (!request_.workspace.isNull() && QFileInfo::exists(request_.workspace.demoDatasetDir()))
      o.fallbackDataDir = request_.workspace.demoDatasetDir().toStdString();
    o.progress = [this](const std::string& stage, std::size_t d, std::size_t t) {
      setProgress(stageProgress(stage, d, t));
    };
    CheckpointEvaluation evaluation = evaluateCheckpoint(dir, o);
    result = std::move(evaluation.result);
    dataDir = evaluation.dataDir;
    source_.evaluatedNow = true;
    source_.createdAt = double(QDateTime::currentSecsSinceEpoch());
    if (runCheckpoint) source_.evaluationId = storeEvaluation(*store, *runCheckpoint, evaluation);
  }
  if (isCanceled()) return false;
  if (dataDir.empty())
    throw ConfigError("the evaluation of " + dir.string() + " names no dataset folder; evaluate it again");
  source_.dataDir = QDir::cleanPath(QString::fromStdString(dataDir));
  source_.meanRecallAt10 = result.meanRecallAt10();
  setProgress(98);
  const Dataset dataset = loadDatasetForSplit(dataDir, split, false);
  failures_ = failureList(result, dataset, split);
  setProgress(100);
  return true;
}

}  // namespace moon
