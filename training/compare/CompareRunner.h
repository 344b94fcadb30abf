#pragma once

// Runs a comparison on a loaded model. The header names no LibTorch type, so
// GUI code can call it without compiling <torch/torch.h>.
//
//   LoadedCheckpoint ck = loadCheckpointForInference(path, datasetDir);
//   auto result = runComparison(*ck.context, {query, truth, nearDup}, options, progress);

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "training/compare/ComparisonResult.h"

namespace moon {

class InferenceContext;

// A model ready for inference and what the GUI wants to know about it.
struct LoadedCheckpoint {
  std::shared_ptr<InferenceContext> context;
  std::string path;           // the checkpoint folder
  std::string kind;           // "model" (model.json) or "training" (a run's step-N folder)
  std::string tokenizerPath;  // empty: titles cannot be encoded, traces read as token ids
  std::string datasetDir;     // the run's dataset when the checkpoint names one
  std::string summary;        // one line: preset sizes, vocabulary, reasoning/MMF/FIRE
};

// Loads either a model checkpoint (model.json + model.safetensors, `moon
// model init` and exports) or a training checkpoint (config.json +
// model.safetensors in runs/<id>/checkpoints/step-N). The tokenizer is the
// checkpoint's own, else the run's dataset's, else `fallbackDatasetDir`'s
// tokenizer.json when it fits the model. Throws moon::Error (IoError,
// FormatError, ConfigError) whose message names the file.
LoadedCheckpoint loadCheckpointForInference(const std::string& path, const std::string& fallbackDatasetDir = "");

// Called between steps with the fraction done; return false to cancel.
using CompareProgress = std::function<bool(double fraction)>;

// Every slot that is not empty is run as a product (multimodal with the
// trace and attention; text-only and image-only for the similarity matrix).
// An empty slot stays empty. Returns nullopt when `progress` cancels. Throws
// moon::Error when no slot has input or a title cannot be encoded.
std::optional<ComparisonResult> runComparison(const InferenceContext& context,
                                              const std::array<CompareInput, kCompareSlots>& inputs,
                                              const CompareOptions& options, const CompareProgress& progress = {});

}  // namespace moon
