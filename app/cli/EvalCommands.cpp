#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include <torch/torch.h>

#include "app/cli/Commands.h"
#include "app/cli/EvalCommandParts.h"
#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "model/inference/InferenceContext.h"
#include "model/runtime/IntraOpThreads.h"
#include "training/ablation/AblationTable.h"
#include "training/eval/CheckpointLoaderConfig.h"
#include "training/eval/Evaluator.h"

namespace moon::cli {
namespace fs = std::filesystem;

Dataset loadDatasetForSplit(const std::string& dataDir, const std::string& split, bool needTrain) {
  if (dataDir.empty()) throw ConfigError("no dataset folder: give --data DIR");
  if (!fs::is_directory(dataDir)) throw IoError(dataDir + ": no such dataset folder");
  DatasetOptions o;
  o.logReport = false;
  if (split == "all") {
    o.splits = {"train", "val", "test"};
    o.requiredSplits = {};
  } else {
    if (!fs::is_regular_file(fs::path(dataDir) / (split + ".jsonl")))
      throw ConfigError("--split " + split + ": unknown split, " + dataDir + " has no " + split +
                        ".jsonl (train, val and test are the usual ones)");
    o.splits = {split};
    o.requiredSplits = {split};
    if (needTrain && split != "train" && fs::is_regular_file(fs::path(dataDir) / "train.jsonl"))
      o.splits.insert(o.splits.begin(), "train");
  }
  return Dataset::load(dataDir, o);
}

void printProgress(const std::string& stage, std::size_t done, std::size_t total) {
  if (done == 0) log::app()->info("{}: {} items", stage, total);
}

namespace {

struct EvalArgs {
  std::string workspace;
  std::string run;
  int64_t checkpoint = -1;  // -1: best, else latest
  std::string data;
  std::string split = "test";
  std::string json;
  std::string queryTraces = "greedy";
  std::string galleryTraces = "none";
  std::size_t maxQueries = 0;
  std::string device = "auto";
  int threads = 0;
};

void runEval(const EvalArgs& a) {
  applyIntraOpThreads(a.threads);
  EvaluatorOptions options;
  options.split = a.split;
  options.queryTraces = parseTraceMode(a.queryTraces, "--query-traces");
  options.galleryTraces = parseTraceMode(a.galleryTraces, "--gallery-traces");
  options.maxQueries = a.maxQueries;
  options.progress = printProgress;

  Workspace ws = Workspace::open(a.workspace);
  const int64_t runId = findRun(ws.store(), a.run);
  const RunCheckpoint cp =
      selectRunCheckpoint(ws, runId, a.checkpoint >= 0 ? std::optional<int64_t>(a.checkpoint) : std::nullopt);
  CheckpointLoadOptions load;
  load.device = a.device;
  load.fallbackDatasetDir = a.data;
  const LoadedCheckpoint loaded = loadCheckpoint(cp.dir.string(), load);
  const std::string data = a.data.empty() ? loaded.datasetDir : a.data;
  const Dataset dataset = loadDatasetForSplit(data, a.split, true);

  Evaluator evaluator(dataset, loaded.requireTokenizer(), loaderConfigFor(loaded));
  const EvaluationOutcome outcome = evaluator.evaluate(*loaded.context->model(), options);

  EvaluationRecord record;
  record.runId = runId;
  record.checkpointStep = cp.step;
  record.split = a.split;
  nlohmann::json json = outcome.toJson();
  json["run"] = {{"id", runId}, {"name", cp.runName}};
  json["checkpoint"] = {{"step", cp.step}, {"path", cp.dir.string()}, {"why", cp.why}};
  json["data"] = data;
  record.resultsJson = json.dump();
  const int64_t evaluationId = ws.store().addEvaluation(record);

  std::cout << "run " << runId << " (" << cp.runName << "), checkpoint step " << cp.step << " [" << cp.why
            << "], split " << a.split << "\n"
            << outcome.galleryItems << " gallery products, " << outcome.queries << " queries; query traces "
            << traceModeName(outcome.queryTraces) << ", gallery traces " << traceModeName(outcome.galleryTraces)
            << "\n\n"
            << outcome.result.formatTable() << "\nevaluation " << evaluationId << " stored in "
            << ws.databasePath().string() << "; took " << formatDuration(outcome.timing.totalSeconds) << "\n";
  if (!a.json.empty()) {
    writeFileAtomically(a.json, json.dump(2) + "\n");
    std::cout << "wrote " << a.json << "\n";
  }
}

}  // namespace

void addEvalCommands(CLI::App& app) {
  auto a = std::make_shared<EvalArgs>();
  auto* eval = app.add_subcommand("eval",
                                  "Evaluate a run's checkpoint: retrieval, near-duplicates, categories, "
                                  "attributes (stored in the run store)");
  eval->add_option("--workspace", a->workspace, "workspace folder")->required();
  eval->add_option("--run", a->run, "run id or name")->required();
  eval->add_option("--checkpoint", a->checkpoint, "checkpoint step (default: the best, else the latest)");
  eval->add_option("--data", a->data, "dataset folder (default: the run's)");
  eval->add_option("--split", a->split, "split to evaluate")->capture_default_str();
  eval->add_option("--json", a->json, "also write the result as JSON to this file");
  eval->add_option("--query-traces", a->queryTraces, "greedy | target | none")->capture_default_str();
  eval->add_option("--gallery-traces", a->galleryTraces, "none | target | greedy")->capture_default_str();
  eval->add_option("--max-queries", a->maxQueries, "queries per direction (0 = all)")->capture_default_str();
  eval->add_option("--device", a->device, "auto | cpu | cuda")->capture_default_str();
  eval->add_option("--threads", a->threads, "LibTorch intra-op threads (0: 1 without MKL, else LibTorch's choice)");
  eval->callback([a] { runEval(*a); });

  addEmbedCommand(app);
  addAblateCommand(app);
}

}  // namespace moon::cli
