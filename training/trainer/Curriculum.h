#pragma once
// Which stage an optimiser step belongs to (README "Training recipe"). The
// config key `curriculum` lists the stage-1 stages in order with their steps,
// "name:steps,...,name" (the last one runs until stage 2 or the end), e.g.
// "trace:300,joint"; stage 2 (GRPO) follows from grpo.start_step when
// grpo.enabled. A new stage is a change here and in the step that runs it
// (TrainingStep.cpp).
#include <cstdint>
#include <string>
#include <vector>
#include "training/TrainConfig.h"

namespace moon {

enum class Stage {
  Contrastive,  // the InfoNCE terms alone (no trace loss)
  TraceWarmup,  // the next-token loss on the traces alone
  Joint,        // stage 1: SFT + contrastive
  Reinforce,    // stage 2: GRPO + contrastive on the sampled traces
};

const char* stageName(Stage stage);  // "contrastive", "trace", "joint", "grpo"

struct StagePlan {
  Stage stage = Stage::Joint;
  double lrScale = 1.0;  // times the schedule's learning rate
  int index = 0;         // position in the run's list of stages (a marker for charts)
};

struct CurriculumStage {
  Stage stage;
  int64_t steps;  // -1: until the next stage (GRPO) or the end
};

// The stage-1 stages of `config.curriculum`. Throws ConfigError naming the
// key for an unknown stage, a bad step count, a stage without steps before
// the last, or a trace stage in a model without reasoning.
std::vector<CurriculumStage> parseCurriculum(const TrainConfig& config);

StagePlan stageAt(const TrainConfig& config, int64_t step);

}  // namespace moon
