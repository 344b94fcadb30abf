#pragma once

// The ablation study of DESIGN.md §4: full MOON3.0 (stage-1 cold start, then
// GRPO stage 2 over the second half of the budget), −MMF, −FIRE, −RL (stage 1
// only: SFT + contrastive), −reasoning (global-embedding baseline). Every
// variant is a normal run in the workspace's store ("ablate/full",
// "ablate/-MMF", ...) trained on the same data with the same seed, preset and
// number of steps, then evaluated on its final checkpoint (the end of the
// budget: no selection on validation) and the result stored against it.
// Nothing is tuned per variant: the user's overrides apply to all of them and
// each variant only switches its own component off.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/store/Workspace.h"
#include "training/ablation/AblationTable.h"
#include "training/eval/Evaluator.h"

namespace moon {

struct AblationVariant {
  std::string label;                   // table row: "MOON3.0 (full)", "−MMF", ...
  std::string runName;                 // "ablate/full", "ablate/-MMF", ...
  std::vector<std::string> overrides;  // applied after the user's
};

// The five variants for a budget of `steps`: stage 2 of the GRPO variants
// gets the last `grpoShare` of it (runAblation: presetGrpoShare, TrainConfig.h)
// unless `userOverrides` set grpo.start_step.
std::vector<AblationVariant> ablationVariants(int64_t steps, const std::vector<std::string>& userOverrides = {},
                                              double grpoShare = 0.5);

struct AblationOptions {
  std::string preset = "micro";
  std::string data;  // dataset folder (needs train, val and the evaluation split)
  int64_t steps = 0;
  std::vector<std::string> overrides;  // --set k=v for every variant
  EvaluatorOptions evaluation;
  std::function<void(const std::string& line)> log;  // progress lines (the CLI prints them on stderr)
  const std::atomic<bool>* stop = nullptr;           // checked between variants
};

struct AblationOutcome {
  std::vector<AblationRow> rows;  // in ablationVariants() order
  std::vector<int64_t> runIds;
  std::vector<double> evalSeconds;
};

// Trains and evaluates every variant in turn. Throws moon::Error when a run
// fails or is stopped (naming the variant and the run).
AblationOutcome runAblation(Workspace& workspace, const AblationOptions& options);

}  // namespace moon
