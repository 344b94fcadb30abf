#pragma once

// Evaluating a checkpoint folder end to end, and finding evaluations already
// stored: what `moon eval` does and what the Failures view needs when a
// checkpoint has no stored evaluation yet. The header names no LibTorch type,
// so GUI code calls it without compiling <torch/torch.h>.
//
//   CheckpointEvaluationOptions o;  o.split = "test";
//   CheckpointEvaluation e = evaluateCheckpoint(dir, o);
//   int64_t id = storeEvaluation(workspace.store(), runCheckpoint, e);

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/data/Dataset.h"
#include "core/store/RunCheckpoints.h"
#include "core/store/RunRecords.h"
#include "model/checkpoint/CheckpointLoader.h"
#include "training/eval/EvaluationResult.h"

namespace moon {

class RunStore;

struct CheckpointEvaluationOptions {
  std::string split = "test";
  std::string dataDir;                 // "" = the checkpoint's dataset
  std::string fallbackDataDir;         // when "" and the checkpoint names none (a bare model checkpoint)
  std::string queryTraces = "greedy";  // greedy | target | none
  std::string galleryTraces = "none";
  std::size_t maxQueries = 0;  // per direction; 0 = all
  std::string device = "auto";
  // Stage ("gallery mm", ...) and items done / total of it (worker thread).
  std::function<void(const std::string& stage, std::size_t done, std::size_t total)> progress;
  const std::atomic<bool>* cancel = nullptr;  // raise to stop: throws Cancelled (GalleryEmbedder.h)
};

struct CheckpointEvaluation {
  EvaluationResult result;
  // What the run store keeps: EvaluationOutcome::toJson() plus "data" (the
  // dataset folder used) and "checkpoint" {"path", "step"|null}.
  nlohmann::json json;
  std::string dataDir;
  std::string split;
  std::size_t galleryItems = 0;
  std::size_t queries = 0;
  std::string queryTraces, galleryTraces;  // as used ("none" for a model without reasoning)
  double seconds = 0.0;
};

// The dataset in `dataDir` with `split` ("all": every split that exists),
// plus the train split when `needTrain` (category prototypes). Throws
// ConfigError naming an unknown split and the folder, IoError for a missing
// folder.
Dataset loadDatasetForSplit(const std::string& dataDir, const std::string& split, bool needTrain);

struct CheckpointAndData {
  LoadedCheckpoint checkpoint;
  std::string dataDir;  // `dataDir` given, else the checkpoint's, else `fallbackDataDir`
};
// Loads the checkpoint (the dataset's tokenizer as fallback) and settles
// which dataset folder goes with it; ConfigError when none names one.
CheckpointAndData loadCheckpointAndData(const std::filesystem::path& checkpointDir, const std::string& dataDir,
                                        const std::string& fallbackDataDir, const std::string& device);

// Loads the checkpoint and its dataset (with the train split, for the category
// prototypes) and evaluates `options.split`. Throws IoError / FormatError /
// ConfigError naming the folder or file (unknown split, missing dataset),
// Cancelled when the cancel flag is raised.
CheckpointEvaluation evaluateCheckpoint(const std::filesystem::path& checkpointDir,
                                        const CheckpointEvaluationOptions& options);

// Adds the evaluation to the store under the run checkpoint `checkpoint`
// ("run" and "checkpoint" {"why"} join the JSON); returns its id.
int64_t storeEvaluation(RunStore& store, const RunCheckpoint& checkpoint, const CheckpointEvaluation& evaluation);

// The newest stored evaluation of (run, step, split) that kept its per-query
// results (older records without them cannot feed a failure browser).
std::optional<EvaluationRecord> findStoredEvaluation(const RunStore& store, int64_t runId, int64_t step,
                                                     const std::string& split);

// The run checkpoint whose folder is `dir` (compared as canonical paths), if
// the workspace's store records one.
std::optional<RunCheckpoint> findRunCheckpoint(const RunStore& store, const std::filesystem::path& workspaceRoot,
                                               const std::filesystem::path& dir);

}  // namespace moon
