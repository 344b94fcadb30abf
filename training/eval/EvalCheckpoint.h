#pragma once

// Finding and loading the model to evaluate or embed with:
//   * a run's checkpoint in a workspace: --checkpoint STEP, else the best
//     (highest validation metric) whose folder still exists, else the latest;
//   * any checkpoint folder: a trainer checkpoint (config.json +
//     model.safetensors, training/checkpoint) or a model checkpoint
//     (model.json + model.safetensors, model/checkpoint).
// Every user error (unknown run, missing step, not a checkpoint, tokenizer
// that does not fit the model) throws a moon::Error naming it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <torch/torch.h>

#include "core/store/Workspace.h"
#include "core/text/BpeTokenizer.h"
#include "model/MoonModel.h"
#include "training/TrainConfig.h"

namespace moon {

struct RunCheckpoint {
  int64_t runId = 0;
  std::string runName;
  int64_t step = 0;
  std::filesystem::path dir;
  std::string why;  // "requested", "best (val/R@10 = 0.4375)", "latest"
};

// A run given by id ("7") or by its exact name ("ablate/-MMF"; the newest
// run of that name). Throws ConfigError naming `run` and the store.
int64_t findRun(const RunStore& store, const std::string& run);

// Throws ConfigError when the run has no checkpoint (or none at `step`, with
// the steps it has), IoError when the recorded folder is gone.
RunCheckpoint selectRunCheckpoint(const Workspace& workspace, int64_t runId, std::optional<int64_t> step);

struct LoadedCheckpoint {
  MoonModel model{nullptr};
  TrainConfig config;           // the run's (a model checkpoint gets the defaults around its model config)
  std::string dir;              // the checkpoint folder
  std::optional<int64_t> step;  // trainer checkpoints
  std::string tokenizerPath;    // the tokenizer the checkpoint names (may be empty)
};

// Throws IoError / FormatError / ConfigError naming the folder.
LoadedCheckpoint loadCheckpointForEval(const std::filesystem::path& dir, const torch::Device& device);

// The tokenizer for a checkpoint: its own when it names one that exists,
// else <dataDir>/tokenizer.json. Throws FormatError when the special-token
// ids or the vocabulary do not fit the model.
BpeTokenizer tokenizerForCheckpoint(const LoadedCheckpoint& checkpoint, const std::string& dataDir);

// "auto" (CUDA when available), "cpu", "cuda"; ConfigError otherwise or when CUDA is missing.
torch::Device evalDevice(const std::string& name);

}  // namespace moon
