#include "training/schedule/LrSchedule.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/Error.h"

namespace moon {

namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

LrSchedule::LrSchedule(const ScheduleOptions& options, double peakLr, int64_t totalSteps)
    : options_(options), peakLr_(peakLr), totalSteps_(totalSteps) {
  if (options.kind != "cosine" && options.kind != "constant")
    throw ConfigError("config key 'schedule.kind': '" + options.kind + "' is not one of: cosine, constant");
  if (!(peakLr >= 0.0) || !std::isfinite(peakLr))
    throw ConfigError("learning rate must be a finite number >= 0, got " + std::to_string(peakLr));
  if (totalSteps < 1) throw ConfigError("total steps must be >= 1, got " + std::to_string(totalSteps));
  if (options.warmupSteps < 0) throw ConfigError("config key 'schedule.warmup_steps' must be >= 0");
}

double LrSchedule::lrAt(int64_t step) const {
  step = std::max<int64_t>(step, 0);
  // A warm-up longer than the run (a short run of a preset) ends at the run's last step.
  const int64_t warmup = std::min<int64_t>(options_.warmupSteps, totalSteps_);
  if (step < warmup) return peakLr_ * static_cast<double>(step + 1) / static_cast<double>(warmup);
  if (options_.kind == "constant") return peakLr_;
  const double floor = peakLr_ * options_.minLrRatio;
  const int64_t decaySteps = std::max<int64_t>(totalSteps_ - warmup, 1);
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / static_cast<double>(decaySteps));
  return floor + (peakLr_ - floor) * 0.5 * (1.0 + std::cos(kPi * progress));
}

void LrSchedule::setStep(int64_t step) { step_ = std::max<int64_t>(step, 0); }

nlohmann::json LrSchedule::state() const { return {{"step", step_}}; }

void LrSchedule::loadState(const nlohmann::json& state) {
  const auto it = state.is_object() ? state.find("step") : state.end();
  if (it == state.end() || !it->is_number_integer() || it->get<int64_t>() < 0)
    throw FormatError("schedule state must be {\"step\": n >= 0}, got " +
                      state.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  step_ = it->get<int64_t>();
}

}  // namespace moon
