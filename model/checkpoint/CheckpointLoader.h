#pragma once

// The one way to open a checkpoint for inference: `moon infer`, `moon eval`,
// `moon embed`, the Compare view and the embedding views all call
// loadCheckpoint(). It reads both kinds of checkpoint folder:
//   * a model checkpoint: model.json + model.safetensors (`moon model init`,
//     exports; model/checkpoint/ModelCheckpoint.h);
//   * a training checkpoint: a run's checkpoints/step-N folder, config.json
//     (the run's configuration) + model.safetensors + trainer state
//     (training/checkpoint/Checkpoint.h). Only the model part is read here.
// `path` may also name the folder's model.json or model.safetensors.
//
// The header names no LibTorch type, so GUI code includes it without
// compiling <torch/torch.h>; the model is reached through the context.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text/BpeTokenizer.h"
#include "model/config/ModelConfig.h"

namespace moon {

class InferenceContext;

enum class CheckpointKind { Model, Training };
const char* checkpointKindName(CheckpointKind kind);  // "model", "training"

struct CheckpointLoadOptions {
  std::string device = "cpu";  // "auto", "cpu" or "cuda" (model/runtime/Device.h)
  // A tokenizer to use instead of the checkpoint's; it must fit the model.
  std::string tokenizerPath;
  // Its tokenizer.json is tried when the checkpoint names none that fits
  // (a model checkpoint without a tokenizer, a run whose dataset moved).
  std::string fallbackDatasetDir;
};

struct LoadedCheckpoint {
  std::shared_ptr<InferenceContext> context;  // the model (eval mode) and its tokenizer's codec
  std::optional<BpeTokenizer> tokenizer;      // none: titles cannot be encoded, traces read as ids
  std::string tokenizerPath;                  // of `tokenizer`
  std::vector<std::string> tokenizerNotes;    // why candidates were passed over (for error messages)
  std::string dir;                            // the checkpoint folder
  CheckpointKind kind = CheckpointKind::Model;
  std::optional<int64_t> step;  // training checkpoints
  nlohmann::json runConfig;     // training checkpoints: the run's config.json; null otherwise
  // The dataset whose tokenizer is used, else the run's dataset as its config names it (which may be gone).
  std::string datasetDir;
  ModelConfig modelConfig;
  std::string summary;  // one line: sizes, vocabulary, reasoning / MMF / FIRE

  // The tokenizer, or ConfigError naming the folder and what was tried.
  const BpeTokenizer& requireTokenizer() const;
};

// Throws IoError (no such folder, missing files), FormatError (bad JSON,
// truncated or mismatching weights, a named tokenizer that does not fit) or
// ConfigError (invalid config, unknown device); every message names the file.
LoadedCheckpoint loadCheckpoint(const std::string& path, const CheckpointLoadOptions& options = {});

// True when `dir` holds a checkpoint of either kind (no files are read).
bool isCheckpointFolder(const std::string& dir);

// "vision 64px/8, decoder 4x192 (6 heads), vocabulary 2048, reasoning, MMF, FIRE".
std::string describeModel(const ModelConfig& config);

}  // namespace moon
