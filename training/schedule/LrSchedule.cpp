#include "training/schedule/LrSchedule.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/Error.h"

namespace moon {
namespace {

// What a checkpoint keeps of the schedule: the step; the shape is the config's.
struct ScheduleState {
  int64_t step = 0;
  template <class V>
  void visit(V& v) {
    v.field("step", step, "optimiser steps done", Range{0, 9e15});
  }
};

}  // namespace

namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

LrSchedule::LrSchedule(const ScheduleConfig& options, double peakLr, int64_t totalSteps)
    : options_(options), peakLr_(peakLr), totalSteps_(totalSteps) {
  if (options.kind != "cosine" && options.kind != "constant")
    throw ConfigError("config key 'schedule.kind': '" + options.kind + "' is not one of: cosine, constant");
  if (!(peakLr >= 0.0) || !std::isfinite(peakLr))
    throw ConfigError("learning rate must be a finite number >= 0, got " + std::to_string(peakLr));
  if (totalSteps < 1) throw ConfigError("total steps must be >= 1, got " + std::to_string(totalSteps));
  if (options.warmup_steps < 0) throw ConfigError("config key 'schedule.warmup_steps' must be >= 0");
}

double LrSchedule::lrAt(int64_t step) const {
  step = std::max<int64_t>(step, 0);
  // A warm-up longer than the run (a short run of a preset) ends at the run's last step.
  const int64_t warmup = std::min<int64_t>(options_.warmup_steps, totalSteps_);
  if (step < warmup) return peakLr_ * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (options_.kind == "constant") return peakLr_;
  const double floor = peakLr_ * options_.min_lr_ratio;
  const int64_t decaySteps = std::max<int64_t>(totalSteps_ - warmup, 1);
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(decaySteps));
  return floor + (peakLr_ - floor) * 0.5 * (1.0 + std::cos(kPi * progress));
}

void LrSchedule::setStep(int64_t step) { step_ = std::max<int64_t>(step, 0); }

nlohmann::json LrSchedule::state() const { return {{"step", step_}}; }

void LrSchedule::loadState(const nlohmann::json& state) {
  step_ = recordFromJson<ScheduleState>(state, "schedule state").step;
}

}  // namespace moon
