#include "training/trainer/Curriculum.h"

#include <sstream>

#include "core/base/Error.h"

namespace moon {
namespace {

[[noreturn]] void bad(const std::string& what) { throw ConfigError("config key 'curriculum': " + what); }

Stage stageNamed(const std::string& name) {
  for (Stage s : {Stage::Contrastive, Stage::TraceWarmup, Stage::Joint})
    if (name == stageName(s)) return s;
  bad("unknown stage '" + name + "' (contrastive, trace or joint)");
}

}  // namespace

const char* stageName(Stage stage) {
  switch (stage) {
    case Stage::Contrastive:
      return "contrastive";
    case Stage::TraceWarmup:
      return "trace";
    case Stage::Joint:
      return "joint";
    case Stage::Reinforce:
      return "grpo";
  }
  return "?";
}

std::vector<CurriculumStage> parseCurriculum(const TrainConfig& config) {
  std::vector<CurriculumStage> stages;
  // The older key: that many trace-only steps before the rest.
  if (config.sft.cold_start_steps > 0) stages.push_back({Stage::TraceWarmup, config.sft.cold_start_steps});
  std::stringstream list(config.curriculum);
  std::string item;
  while (std::getline(list, item, ',')) {
    const auto colon = item.find(':');
    const std::string name = item.substr(0, colon);
    int64_t steps = -1;
    if (colon != std::string::npos) {
      try {
        size_t used = 0;
        steps = std::stoll(item.substr(colon + 1), &used);
        if (used != item.size() - colon - 1 || steps < 1) throw std::invalid_argument(item);
      } catch (const std::exception&) {
        bad("'" + item + "': steps must be a positive whole number");
      }
    }
    stages.push_back({stageNamed(name), steps});
  }
  if (stages.empty()) bad("no stage given (e.g. \"joint\" or \"trace:300,joint\")");
  for (size_t i = 0; i + 1 < stages.size(); ++i)
    if (stages[i].steps < 0) bad("every stage but the last needs its steps (\"name:steps\")");
  for (const auto& s : stages)
    if (s.stage == Stage::TraceWarmup && !config.model.reasoning)
      bad("a trace stage needs model.reasoning (there are no traces to learn)");
  return stages;
}

StagePlan stageAt(const TrainConfig& config, int64_t step) {
  const auto stages = parseCurriculum(config);
  if (config.grpo.enabled && step >= config.grpo.start_step)
    return {Stage::Reinforce, config.grpo.lr_scale, static_cast<int>(stages.size())};
  int64_t start = 0;
  for (size_t i = 0; i < stages.size(); ++i) {
    const bool last = i + 1 == stages.size();
    if (last || step < start + stages[i].steps) {
      return {stages[i].stage, 1.0, static_cast<int>(i)};
    }
    start += stages[i].steps;
  }
  return {Stage::Joint, 1.0, 0};
}

}  // namespace moon
