#include "training/ablation/Ablation.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/base/Error.h"
#include "core/text/DatasetTokenizer.h"
#include "training/TrainConfig.h"
#include "training/trainer/StopSignal.h"
#include "training/trainer/Trainer.h"

namespace moon {
namespace {

bool overrides(const std::vector<std::string>& list, const std::string& key) {
  for (const auto& o : list)
    if (o.rfind(key + "=", 0) == 0) return true;
  return false;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::vector<AblationVariant> ablationVariants(int64_t steps, const std::vector<std::string>& userOverrides,
                                              double grpoShare) {
  std::vector<std::string> rl = {"grpo.enabled=true"};
  if (!overrides(userOverrides, "grpo.start_step"))
    rl.push_back("grpo.start_step=" + std::to_string(grpoStartStep(steps, grpoShare)));
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> out = rl;
    out.insert(out.end(), extra.begin(), extra.end());
    return out;
  };
  return {
      {"MOON3.0 (full)", "ablate/full", with({})},
      {"−MMF", "ablate/-MMF", with({"model.mmf.enabled=false"})},
      {"−FIRE", "ablate/-FIRE", with({"model.fire.enabled=false"})},
      {"−RL", "ablate/-RL", {"grpo.enabled=false"}},
      {"−reasoning", "ablate/-reasoning", {"grpo.enabled=false", "model.reasoning=false"}},
  };
}

AblationOutcome runAblation(Workspace& workspace, const AblationOptions& options) {
  using Clock = std::chrono::steady_clock;
  auto say = [&](const std::string& line) {
    if (options.log) options.log(line);
  };
  if (options.steps <= 0) throw ConfigError("ablation: needs a positive number of steps per variant");
  if (options.data.empty()) throw ConfigError("ablation: needs a dataset folder");
  const std::string data = std::filesystem::absolute(options.data).string();

  DatasetOptions dsOptions;
  dsOptions.splits = {"train", options.evaluation.split};
  if (options.evaluation.split == "train") dsOptions.splits = {"train"};
  dsOptions.requiredSplits = dsOptions.splits;
  const Dataset dataset = Dataset::load(data, dsOptions);
  const BpeTokenizer tokenizer = loadDatasetTokenizer(data);

  // The preset's warm-up may be longer than a short budget; it is cut to the
  // budget, the same for every variant.
  const bool clampWarmup = !overrides(options.overrides, "schedule.warmup_steps") &&
                           trainPreset(options.preset).schedule.warmup_steps > options.steps;
  if (clampWarmup)
    say("ablate: schedule.warmup_steps cut to the budget of " + std::to_string(options.steps) + " steps");

  AblationOutcome out;
  for (const AblationVariant& v : ablationVariants(options.steps, options.overrides, presetGrpoShare(options.preset))) {
    if ((options.stop && options.stop->load()) || stopSignalReceived())
      throw Error("ablation stopped before variant " + v.label);
    std::vector<std::string> all = {"data=" + data, "steps=" + std::to_string(options.steps)};
    all.insert(all.end(), options.overrides.begin(), options.overrides.end());
    all.insert(all.end(), v.overrides.begin(), v.overrides.end());
    if (clampWarmup) all.push_back("schedule.warmup_steps=" + std::to_string(options.steps));
    TrainerSetup setup;
    setup.config = resolveTrainConfig(options.preset, "", all);
    setup.name = v.runName;
    setup.steps = options.steps;
    say("ablate: " + v.label + ": training " + std::to_string(options.steps) + " steps (" + v.runName + ")");
    const auto t0 = Clock::now();
    Trainer trainer(workspace, std::move(setup));
    const TrainOutcome trained = trainer.run();
    const double trainSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    if (trained != TrainOutcome::Completed) {
      const auto run = workspace.store().run(trainer.runId());
      throw Error("ablation variant " + v.label + " (run " + std::to_string(trainer.runId()) + ") " +
                  (trained == TrainOutcome::Stopped ? "was stopped" : "failed") +
                  (run && !run->message.empty() ? ": " + run->message : std::string()));
    }

    say("ablate: " + v.label + ": evaluating on split '" + options.evaluation.split + "'");
    const auto t1 = Clock::now();
    Evaluator evaluator(dataset, tokenizer, trainer.config().loader);
    const EvaluationOutcome evaluated = evaluator.evaluate(*trainer.model(), options.evaluation);
    const double evalSeconds = std::chrono::duration<double>(Clock::now() - t1).count();
    // The trainer wrote a checkpoint at its last step: the result belongs to it.
    EvaluationRecord record;
    record.runId = trainer.runId();
    record.checkpointStep = trainer.stepsDone();
    record.split = options.evaluation.split;
    record.resultsJson = evaluated.toJson().dump();
    workspace.store().addEvaluation(record);

    out.rows.push_back({v.label, evaluated.result, trainSeconds});
    out.runIds.push_back(trainer.runId());
    out.evalSeconds.push_back(evalSeconds);
    const auto mean = evaluated.result.meanRecallAt10();
    say("ablate: " + v.label + ": run " + std::to_string(trainer.runId()) + ", train " + formatDuration(trainSeconds) +
        ", eval " + formatDuration(evalSeconds) + ", mean R@10 " + (mean ? fixed(100 * *mean, 1) + "%" : "n/a"));
  }
  return out;
}

}  // namespace moon
