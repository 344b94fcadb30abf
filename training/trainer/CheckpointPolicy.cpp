#include "training/trainer/CheckpointPolicy.h"

#include "training/checkpoint/Checkpoint.h"
#include "training/data/TripletLoader.h"
#include "training/trainer/RunSession.h"
#include "training/trainer/TrainingState.h"

namespace moon {

bool CheckpointPolicy::due(int64_t step) const {
  if (lastWritten_ == step) return false;
  return step == total_ || (config_.every > 0 && step % config_.every == 0);
}

void CheckpointPolicy::write(TrainingState& state, const TripletLoader& loader, RunSession& session, bool best,
                             std::optional<double> metric) {
  if (!session.main()) return;
  const int64_t step = state.counters.step;
  const auto dir = session.workspace().checkpointsDir(session.runId()) / checkpointDirName(step);
  writeCheckpoint(dir, state.checkpointContents(loader.position()));
  session.checkpointWritten(step, dir, metric, best);
  pruneCheckpoints(session.workspace().store(), session.runId(), session.runDir(), config_.keep_last);
  lastWritten_ = step;
}

}  // namespace moon
