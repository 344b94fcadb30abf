#include "training/eval/CheckpointEvaluation.h"

#include <system_error>

#include "core/base/Error.h"
#include "core/store/RunStore.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/inference/InferenceContext.h"
#include "training/eval/CheckpointLoaderConfig.h"
#include "training/eval/Evaluator.h"

namespace moon {
namespace fs = std::filesystem;

Dataset loadDatasetForSplit(const std::string& dataDir, const std::string& split, bool needTrain) {
  if (dataDir.empty()) throw ConfigError("no dataset folder given (--data DIR)");
  if (!fs::is_directory(dataDir)) throw IoError(dataDir + ": no such dataset folder");
  DatasetOptions o;
  o.logReport = false;
  if (split == "all") {
    o.splits = {"train", "val", "test"};
    o.requiredSplits = {};
  } else {
    if (!fs::is_regular_file(fs::path(dataDir) / (split + ".jsonl")))
      throw ConfigError("split '" + split + "': unknown split, " + dataDir + " has no " + split +
                        ".jsonl (train, val and test are the usual ones)");
    o.splits = {split};
    o.requiredSplits = {split};
    if (needTrain && split != "train" && fs::is_regular_file(fs::path(dataDir) / "train.jsonl"))
      o.splits.insert(o.splits.begin(), "train");
  }
  return Dataset::load(dataDir, o);
}

CheckpointAndData loadCheckpointAndData(const fs::path& checkpointDir, const std::string& dataDir,
                                        const std::string& fallbackDataDir, const std::string& device) {
  CheckpointLoadOptions load;
  load.device = device;
  load.fallbackDatasetDir = dataDir.empty() ? fallbackDataDir : dataDir;
  CheckpointAndData out{loadCheckpoint(checkpointDir.string(), load), dataDir};
  if (out.dataDir.empty()) out.dataDir = out.checkpoint.datasetDir;
  if (out.dataDir.empty()) out.dataDir = fallbackDataDir;
  if (out.dataDir.empty())
    throw ConfigError(checkpointDir.string() + ": the checkpoint names no dataset; give the dataset folder");
  return out;
}

CheckpointEvaluation evaluateCheckpoint(const fs::path& checkpointDir, const CheckpointEvaluationOptions& options) {
  EvaluatorOptions eo;
  eo.split = options.split;
  eo.queryTraces = parseTraceMode(options.queryTraces, "query traces");
  eo.galleryTraces = parseTraceMode(options.galleryTraces, "gallery traces");
  eo.maxQueries = options.maxQueries;
  eo.progress = options.progress;
  eo.cancel = options.cancel;

  const CheckpointAndData opened =
      loadCheckpointAndData(checkpointDir, options.dataDir, options.fallbackDataDir, options.device);
  const LoadedCheckpoint& loaded = opened.checkpoint;
  CheckpointEvaluation out;
  out.dataDir = opened.dataDir;
  const Dataset dataset = loadDatasetForSplit(out.dataDir, options.split, true);

  const Evaluator evaluator(dataset, loaded.requireTokenizer(), loaderConfigFor(loaded));
  const EvaluationOutcome outcome = evaluator.evaluate(*loaded.context->model(), eo);
  out.result = outcome.result;
  out.split = outcome.split;
  out.galleryItems = outcome.galleryItems;
  out.queries = outcome.queries;
  out.queryTraces = traceModeName(outcome.queryTraces);
  out.galleryTraces = traceModeName(outcome.galleryTraces);
  out.seconds = outcome.timing.totalSeconds;
  out.json = outcome.toJson();
  out.json["data"] = out.dataDir;
  out.json["checkpoint"] = {{"path", loaded.dir},
                            {"step", loaded.step ? nlohmann::json(*loaded.step) : nlohmann::json(nullptr)}};
  return out;
}

int64_t storeEvaluation(RunStore& store, const RunCheckpoint& checkpoint, const CheckpointEvaluation& evaluation) {
  EvaluationRecord record;
  record.runId = checkpoint.runId;
  record.checkpointStep = checkpoint.step;
  record.split = evaluation.split;
  nlohmann::json json = evaluation.json;
  json["run"] = {{"id", checkpoint.runId}, {"name", checkpoint.runName}};
  json["checkpoint"] = {{"step", checkpoint.step}, {"path", checkpoint.dir.string()}, {"why", checkpoint.why}};
  record.resultsJson = json.dump();
  return store.addEvaluation(record);
}

std::optional<EvaluationRecord> findStoredEvaluation(const RunStore& store, int64_t runId, int64_t step,
                                                     const std::string& split) {
  const std::vector<EvaluationRecord> all = store.evaluations(runId);  // oldest first
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (it->split != split || it->checkpointStep != step) continue;
    const nlohmann::json json = nlohmann::json::parse(it->resultsJson, nullptr, /*allow_exceptions=*/false);
    const auto perQuery = json.is_object() ? json.find("per_query") : json.end();
    if (!json.is_object() || perQuery == json.end() || !perQuery->is_array() || perQuery->empty()) continue;
    return *it;
  }
  return std::nullopt;
}

std::optional<RunCheckpoint> findRunCheckpoint(const RunStore& store, const fs::path& workspaceRoot,
                                               const fs::path& dir) {
  std::error_code ec;
  const fs::path wanted = fs::weakly_canonical(dir, ec);
  if (ec) return std::nullopt;
  for (const RunCheckpoint& c : listCheckpoints(store, workspaceRoot)) {
    const fs::path have = fs::weakly_canonical(c.dir, ec);
    if (!ec && have == wanted) return c;
  }
  return std::nullopt;
}

}  // namespace moon
