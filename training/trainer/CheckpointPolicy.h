#pragma once
// When the trainer writes a checkpoint, and which ones it keeps: every
// checkpoint.every steps and at the last step (never twice at one step),
// whenever validation finds a new best headline metric, and when a run stops
// early. After each write only the checkpoint.keep_last most recent remain,
// plus the best.
#include <cstdint>
#include <optional>
#include "training/TrainConfig.h"

namespace moon {

class RunSession;
class TrainingState;
class TripletLoader;

class CheckpointPolicy {
 public:
  CheckpointPolicy(const CheckpointConfig& config, int64_t totalSteps) : config_(config), total_(totalSteps) {}

  // A scheduled checkpoint is due after `step` (the interval or the last step).
  bool due(int64_t step) const;
  // Writes the state at its current step (main rank only), records it in the
  // run and prunes old ones. `metric` is the validation metric it is kept for.
  void write(TrainingState& state, const TripletLoader& loader, RunSession& session, bool best,
             std::optional<double> metric);
  // Step of the last checkpoint written or restored; -1 when none.
  int64_t lastWritten() const { return lastWritten_; }
  void restoredAt(int64_t step) { lastWritten_ = step; }

 private:
  CheckpointConfig config_;
  int64_t total_;
  int64_t lastWritten_ = -1;
};

}  // namespace moon
