#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include "app/cli/Commands.h"
#include "app/cli/EvalCommandParts.h"
#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/Workspace.h"
#include "model/runtime/IntraOpThreads.h"
#include "training/ablation/AblationTable.h"
#include "training/eval/CheckpointEvaluation.h"

namespace moon::cli {
namespace fs = std::filesystem;

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
  CheckpointEvaluationOptions options;
  options.split = a.split;
  options.dataDir = a.data;
  options.queryTraces = a.queryTraces;
  options.galleryTraces = a.galleryTraces;
  options.maxQueries = a.maxQueries;
  options.device = a.device;
  options.progress = printProgress;

  Workspace ws = Workspace::open(a.workspace);
  const int64_t runId = findRun(ws.store(), a.run);
  const RunCheckpoint cp =
      selectRunCheckpoint(ws, runId, a.checkpoint >= 0 ? std::optional<int64_t>(a.checkpoint) : std::nullopt);
  const CheckpointEvaluation evaluation = evaluateCheckpoint(cp.dir, options);
  const int64_t evaluationId = storeEvaluation(ws.store(), cp, evaluation);

  std::cout << "run " << runId << " (" << cp.runName << "), checkpoint step " << cp.step << " [" << cp.why
            << "], split " << a.split << "\n"
            << evaluation.galleryItems << " gallery products, " << evaluation.queries << " queries; query traces "
            << evaluation.queryTraces << ", gallery traces " << evaluation.galleryTraces << "\n\n"
            << evaluation.result.formatTable() << "\nevaluation " << evaluationId << " stored in "
            << ws.databasePath().string() << "; took " << formatDuration(evaluation.seconds) << "\n";
  if (!a.json.empty()) {
    nlohmann::json json = evaluation.json;
    json["run"] = {{"id", runId}, {"name", cp.runName}};
    json["checkpoint"] = {{"step", cp.step}, {"path", cp.dir.string()}, {"why", cp.why}};
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
  addSearchCommand(app);
}

}  // namespace moon::cli
