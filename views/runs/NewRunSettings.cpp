#include "views/runs/NewRunSettings.h"

#include <filesystem>
#include <sstream>

#include "core/base/Error.h"
#include "core/data/DatasetLayout.h"
#include "training/TrainConfig.h"

namespace moon {
namespace {

std::string numberText(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

const std::vector<std::string>& trainPresetNames() {
  static const std::vector<std::string> names{"micro", "tiny", "small", "base"};
  return names;
}

NewRunSettings NewRunSettings::fromPreset(const std::string& preset, const std::string& data) {
  const TrainConfig c = trainPreset(preset);
  NewRunSettings s;
  s.preset = preset;
  s.data = data;
  s.steps = c.steps;
  s.batchSize = c.loader.batch_size;
  s.lr = numberText(c.optim.lr);
  s.warmupSteps = c.schedule.warmup_steps;
  s.rl = c.grpo.enabled;
  s.evalEvery = c.eval.every;
  s.checkpointEvery = c.checkpoint.every;
  return s;
}

std::vector<std::string> NewRunSettings::overrides() const {
  std::vector<std::string> o{
      "steps=" + std::to_string(steps),
      "loader.batch_size=" + std::to_string(batchSize),
      "optim.lr=" + lr,
      "schedule.warmup_steps=" + std::to_string(warmupSteps),
      std::string("grpo.enabled=") + (rl ? "true" : "false"),
      // Stage 2 keeps the preset's share of the budget when the steps change.
      "grpo.start_step=" + std::to_string(grpoStartStep(steps, presetGrpoShare(preset))),
      "eval.every=" + std::to_string(evalEvery),
      "checkpoint.every=" + std::to_string(checkpointEvery),
      "device=" + device,
  };
  o.insert(o.end(), extra.begin(), extra.end());
  return o;
}

std::vector<std::string> NewRunSettings::trainArguments(const std::string& workspace) const {
  std::vector<std::string> a{"train", "--workspace", workspace, "--preset", preset, "--data", data};
  if (!name.empty()) a.insert(a.end(), {"--name", name});
  for (const std::string& o : overrides()) a.insert(a.end(), {"--set", o});
  return a;
}

std::string NewRunSettings::validationError() const {
  namespace fs = std::filesystem;
  if (data.empty()) return "choose a dataset folder";
  std::error_code ec;
  if (!fs::is_directory(data, ec)) return "dataset folder " + data + " does not exist";
  for (const std::string& file : {std::string(kProductsFile), splitFileName("train"), splitFileName("val")})
    if (!fs::is_regular_file(fs::path(data) / file, ec))
      return "dataset folder " + data + " has no " + file + " (not a MOON dataset)";
  std::vector<std::string> all{"data=" + data};
  const auto o = overrides();
  all.insert(all.end(), o.begin(), o.end());
  try {
    resolveTrainConfig(preset, "", all);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace moon
