#pragma once

// A two-step micro run trained into an EvalFixture's workspace (the run store
// then holds it and its checkpoints): what the views that read runs need.

#include <QtTest>

#include <string>

#include "EvalFixture.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "training/trainer/Trainer.h"

namespace moon::test {

// Quiet, one thread; returns the run's id (0 when training failed, with a QTest failure noted).
inline int64_t trainMicroRun(const EvalFixture& fx, const std::string& name, int checkpointEvery) {
  setStderrLogLevel(spdlog::level::warn);
  torch::set_num_threads(1);
  Workspace ws = Workspace::open(fx.workspaceDir, true);
  TrainerSetup setup;
  setup.config =
      fx.microConfig({"loader.batch_size=6", "eval.every=0", "checkpoint.every=" + std::to_string(checkpointEvery)});
  setup.name = name;
  setup.steps = 2;
  Trainer trainer(ws, setup);
  if (trainer.run() != TrainOutcome::Completed) {
    QTest::qFail("the micro run did not complete", __FILE__, __LINE__);
    return 0;
  }
  return trainer.runId();
}

}  // namespace moon::test
