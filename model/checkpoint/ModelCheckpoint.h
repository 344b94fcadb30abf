#pragma once

// A model checkpoint is a folder holding
//   model.safetensors  the weights (names as in MoonModel::named_parameters)
//   model.json         {"format": "moon-model", "version": 1, "config": {...},
//                       "special_tokens": {"<pad>": 0, ...}, "tokenizer": "..."}
// (DESIGN.md §6: no pickles). The tokenizer reference is a path, relative to
// the folder unless absolute, or empty. Both files are written atomically.
// The trainer's full checkpoints (optimizer, RNG, ...) add files next to these.

#include <string>

#include <torch/torch.h>

#include "model/MoonModel.h"

namespace moon {

inline constexpr const char* kModelWeightsFile = "model.safetensors";
inline constexpr const char* kModelInfoFile = "model.json";
// A training checkpoint (training/checkpoint/Checkpoint.h) holds the weights
// file above beside these; the loader (CheckpointLoader.h) reads them.
inline constexpr const char* kRunConfigFile = "config.json";     // the run's configuration, "model" section inside
inline constexpr const char* kTrainingStateFile = "state.json";  // step, data position, ...

struct CheckpointInfo {
  ModelConfig config;
  SpecialTokenIds special;
  std::string tokenizer;  // as stored (see resolveTokenizerPath)
};

// Creates `dir` if needed. Throws IoError when it cannot write.
void saveModelCheckpoint(const std::string& dir, MoonModelImpl& model, const std::string& tokenizerRef = "");

// `path` is the folder, or its model.json / model.safetensors. Throws
// IoError (missing files), FormatError (bad JSON, truncated or mismatching
// weights: every mismatch is listed) or ConfigError (invalid config).
CheckpointInfo readCheckpointInfo(const std::string& path);
MoonModel loadModelCheckpoint(const std::string& path, const torch::Device& device = torch::kCPU,
                              CheckpointInfo* info = nullptr);
// Loads weights into an existing model (same config), e.g. to resume.
void loadModelWeights(const std::string& path, MoonModelImpl& model);

// The checkpoint folder for `path` (see above).
std::string checkpointDir(const std::string& path);
// The tokenizer file a checkpoint refers to: absolute as is, else relative to
// the checkpoint folder. Empty when the checkpoint names none.
std::string resolveTokenizerPath(const std::string& checkpointPath, const CheckpointInfo& info);

}  // namespace moon
