#pragma once
// What optimiser steps change and a checkpoint saves: the model, the
// learnable temperature, AdamW with its two parameter groups (the network
// with weight decay, the temperature without), the learning-rate schedule,
// the frozen reference policy of stage 2, and the counters (TrainerState:
// step, data position, best metric).
#include <torch/torch.h>
#include <filesystem>
#include <memory>
#include "model/MoonModel.h"
#include "training/TrainConfig.h"
#include "training/checkpoint/Checkpoint.h"
#include "training/losses/LogitScale.h"
#include "training/schedule/LrSchedule.h"

namespace moon {

class TrainingState {
 public:
  // Seeds torch with config.seed and builds the model right after, so the
  // same seed gives the same initial weights on every rank.
  TrainingState(const TrainConfig& config, const torch::Device& device);

  MoonModel model{nullptr};
  LogitScale scale{nullptr};
  MoonModel reference{nullptr};  // frozen copy for stage 2's KL; null before it
  NamedTensors params;           // what the optimiser updates: "model/…" names and "logit_scale"
  std::unique_ptr<torch::optim::AdamW> optimizer;
  LrSchedule schedule;
  TrainerState counters;

  // Copies the model into a frozen reference (keeps the global RNG as it was).
  void makeReference();
  void setLearningRate(double lr);
  // The model's parameters and buffers by name.
  NamedTensors modelTensors();
  // Everything a checkpoint holds; `data` is the loader's next position.
  CheckpointContents checkpointContents(const DataPosition& data);
  // Restores a checkpoint folder written from checkpointContents(). Throws
  // FormatError naming the file for a missing or mismatching tensor.
  void restore(const std::filesystem::path& dir);

 private:
  TrainConfig config_;
  torch::Device device_;
};

}  // namespace moon
