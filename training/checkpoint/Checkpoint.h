#pragma once
// A training checkpoint is a folder (DESIGN.md §6: safetensors + JSON, no pickles):
//   model.safetensors    the model's parameters and buffers, by their module names
//   trainer.safetensors  optimiser moments, the temperature, RNG state
//   state.json           step, data position, schedule, best metric
//   config.json          the run's resolved TrainConfig
// (the first, third and fourth names are model/checkpoint/ModelCheckpoint.h's:
// inference opens these folders through model/checkpoint/CheckpointLoader.h).
// The folder is written as "<dir>.tmp" and renamed into place, so a reader
// (or a resume after SIGKILL) sees a whole checkpoint or none.
#include <torch/torch.h>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include "core/config/Config.h"
#include "model/checkpoint/ModelCheckpoint.h"
#include "training/data/TripletLoader.h"

namespace moon {

using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

struct TrainerState {
  int64_t step = 0;   // optimiser steps done
  DataPosition data;  // next batch of the training stream
  nlohmann::json schedule = nlohmann::json::object();
  int64_t samples = 0;  // training triplets consumed
  std::optional<double> bestMetric;
  int64_t bestStep = -1;
  nlohmann::json toJson() const;
  // Throws FormatError naming `origin` for a missing or mistyped field.
  static TrainerState fromJson(const nlohmann::json& j, const std::string& origin);
  template <class V>
  void visit(V& v) {
    v.field("step", step, "", Range{0, 9e15});
    v.field("data_epoch", data.epoch, "", Range{0, 9e15});
    v.field("data_batch", data.batch, "", Range{0, 9e15});
    v.field("schedule", schedule);
    v.field("samples", samples, "", Range{0, 9e15});
    v.field("best_metric", bestMetric);
    v.field("best_step", bestStep);
  }
};

struct CheckpointContents {
  NamedTensors model;
  NamedTensors trainer;
  nlohmann::json config = nlohmann::json::object();
  TrainerState state;
};

inline constexpr const char* kTrainerStateFile = "trainer.safetensors";

// Throws IoError/FormatError naming the folder; an existing `dir` is replaced.
void writeCheckpoint(const std::filesystem::path& dir, const CheckpointContents& contents);
// Tensors come back on the CPU.
CheckpointContents readCheckpoint(const std::filesystem::path& dir);

// Copies `saved` into `targets` by name (no gradient). Throws FormatError
// naming `origin` when a target is missing from `saved` or its shape differs.
void loadNamedTensors(const NamedTensors& targets, const NamedTensors& saved, const std::string& origin);

// "step-00001200".
std::string checkpointDirName(int64_t step);

}  // namespace moon

namespace moon {
class RunStore;
// Removes the run's checkpoints beyond the `keepLast` most recent, except the
// best one: folders under `runDir` and their rows. Returns the steps removed.
std::vector<int64_t> pruneCheckpoints(RunStore& store, int64_t runId, const std::filesystem::path& runDir,
                                      int keepLast);
// The most recent checkpoint of the run whose folder exists, if any.
std::optional<std::filesystem::path> latestCheckpoint(const RunStore& store, int64_t runId,
                                                      const std::filesystem::path& runDir);
}  // namespace moon
