#pragma once

// Learning rate per optimiser step: linear warm-up from peak/warmup to peak
// over the first `warmup_steps` steps, then either flat ("constant") or a
// half cosine from peak down to min_lr_ratio·peak at `totalSteps`, flat after.
// Step 0 is the first update, so it already trains (lr = peak/warmup).
//
// A value type: its only state is the step, saved as {"step": n} in a
// checkpoint; the shape is rebuilt from the config on resume.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "training/schedule/ScheduleConfig.h"

namespace moon {

class LrSchedule {
 public:
  // Throws ConfigError for an unknown kind, a negative peak or totalSteps < 1.
  LrSchedule(const ScheduleConfig& options, double peakLr, int64_t totalSteps);

  double lrAt(int64_t step) const;
  double lr() const { return lrAt(step_); }  // for the step about to run
  void advance() { ++step_; }                // after each optimiser step
  int64_t step() const { return step_; }
  void setStep(int64_t step);

  nlohmann::json state() const;
  // Throws FormatError for anything but {"step": n ≥ 0}.
  void loadState(const nlohmann::json& state);

  const ScheduleConfig& options() const { return options_; }
  double peakLr() const { return peakLr_; }
  int64_t totalSteps() const { return totalSteps_; }

 private:
  ScheduleConfig options_;
  double peakLr_;
  int64_t totalSteps_;
  int64_t step_ = 0;
};

}  // namespace moon
