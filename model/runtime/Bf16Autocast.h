#pragma once

// bf16 autocast on the device's autocast key for the lifetime of the scope
// (or nothing when `on` is false). The trainer wraps a step's forward and
// loss in it (TrainConfig::autocast); bench_precision measures with it.
// model/runtime/AutocastOff.h turns it off again where fp32 matters.

#include <ATen/autocast_mode.h>
#include <c10/core/Device.h>

namespace moon {

class Bf16Autocast {
 public:
  Bf16Autocast(bool on, const c10::Device& device) : on_(on), cuda_(device.is_cuda()) {
    if (!on_) return;
    if (cuda_) {
      at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
      at::autocast::set_enabled(true);
    } else {
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
  }
  ~Bf16Autocast() {
    if (!on_) return;
    if (cuda_)
      at::autocast::set_enabled(false);
    else
      at::autocast::set_cpu_enabled(false);
    at::autocast::clear_cache();
  }
  Bf16Autocast(const Bf16Autocast&) = delete;
  Bf16Autocast& operator=(const Bf16Autocast&) = delete;

 private:
  bool on_, cuda_;
};

}  // namespace moon
