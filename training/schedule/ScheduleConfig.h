#pragma once

#include <string>

#include "core/config/Config.h"

namespace moon {

// Learning-rate shape; the peak rate and the run length come from the
// trainer's optimiser and step settings.
struct ScheduleConfig {
  std::string kind = "cosine";  // "cosine": warm-up then cosine to the floor; "constant": warm-up then flat
  int warmup_steps = 100;
  double min_lr_ratio = 0.1;  // cosine floor as a share of the peak rate

  template <class V>
  void visit(V& v) {
    v.field("kind", kind, "learning-rate schedule", Choices{{"cosine", "constant"}});
    v.field("warmup_steps", warmup_steps, "linear warm-up steps", Range{0, 1e9});
    v.field("min_lr_ratio", min_lr_ratio, "cosine floor as a share of the peak", Range{0.0, 1.0});
  }
};

}  // namespace moon
