#pragma once
// One optimiser step: `optim.accumulation` micro-batches of the stage's
// objective (StageOneLoss.h, StageTwoLoss.h), backward, gradients summed
// across ranks, clipping, AdamW and the schedule. The step is a function of
// its inputs and returns what happened as a value.
#include <torch/torch.h>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include "core/text/BpeTokenizer.h"
#include "training/TrainConfig.h"
#include "training/trainer/Curriculum.h"

namespace moon {

class GradientSync;
class TrainingState;
class TripletLoader;

struct StepContext {
  TrainingState& state;
  TripletLoader& loader;
  const TrainConfig& config;
  const BpeTokenizer& tokenizer;
  const GradientSync& sync;
  // Called with the loss of each micro-batch before backward (tests inject NaN here).
  std::function<void(int64_t step, torch::Tensor& loss)> alterLoss;
};

struct StepOutcome {
  // Loss parts averaged over the micro-batches ("loss", "loss_sft", ...),
  // plus lr, temperature, grad_norm, samples_per_s and epoch.
  std::map<std::string, double> numbers;
  int64_t samples = 0;  // triplets of the global batch
  double seconds = 0;
  bool stop = false;      // a stop was asked on some rank: every rank leaves after this step
  std::string nonFinite;  // non-empty: a loss was not finite on some rank; nothing was updated
};

// `stopRequested` is asked once the gradients are ready, so a signal that
// arrives during the step is agreed at its end.
StepOutcome runTrainingStep(const StepContext& context, const StagePlan& plan,
                            const std::function<bool()>& stopRequested);

// Whether the step's forward runs under bf16 autocast (TrainConfig::autocast):
// "auto" is on for CUDA, and on a CPU with native bf16 arithmetic for a
// decoder at least kAutocastMinWidth wide.
bool trainsInBf16(const TrainConfig& cfg, const torch::Device& device);
constexpr int kAutocastMinWidth = 128;

}  // namespace moon
