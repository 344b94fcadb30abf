#include "training/checkpoint/OptimizerState.h"

#include <mutex>
#include <unordered_map>

#include <ATen/CPUGeneratorImpl.h>

#include "core/base/Error.h"

namespace moon {
namespace {

std::string keyOf(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

}  // namespace

NamedTensors adamWStateTensors(torch::optim::AdamW& optimizer, const NamedTensors& params) {
  NamedTensors out;
  auto& state = optimizer.state();
  for (const auto& [name, p] : params) {
    auto it = state.find(keyOf(p));
    if (it == state.end()) continue;
    auto& s = static_cast<torch::optim::AdamWParamState&>(*it->second);
    out.emplace_back("optim/" + name + "/exp_avg", s.exp_avg());
    out.emplace_back("optim/" + name + "/exp_avg_sq", s.exp_avg_sq());
    out.emplace_back("optim/" + name + "/step", torch::tensor(s.step(), torch::kInt64));
    if (s.max_exp_avg_sq().defined()) out.emplace_back("optim/" + name + "/max_exp_avg_sq", s.max_exp_avg_sq());
  }
  return out;
}

void loadAdamWState(torch::optim::AdamW& optimizer, const NamedTensors& params, const NamedTensors& saved,
                    const std::string& origin) {
  std::unordered_map<std::string, torch::Tensor> byName;
  for (const auto& [name, t] : saved) byName[name] = t;
  auto& state = optimizer.state();
  state.clear();
  for (const auto& [name, p] : params) {
    const std::string prefix = "optim/" + name + "/";
    auto avg = byName.find(prefix + "exp_avg");
    if (avg == byName.end()) continue;  // no step taken for this parameter yet
    auto sq = byName.find(prefix + "exp_avg_sq");
    auto step = byName.find(prefix + "step");
    if (sq == byName.end() || step == byName.end())
      throw FormatError(origin + ": optimiser state of '" + name + "' is incomplete");
    if (avg->second.sizes() != p.sizes() || sq->second.sizes() != p.sizes())
      throw FormatError(origin + ": optimiser state of '" + name + "' does not match the parameter's shape");
    auto s = std::make_unique<torch::optim::AdamWParamState>();
    s->step(step->second.item<int64_t>());
    s->exp_avg(avg->second.to(p.device(), p.scalar_type()).clone());
    s->exp_avg_sq(sq->second.to(p.device(), p.scalar_type()).clone());
    auto mx = byName.find(prefix + "max_exp_avg_sq");
    if (mx != byName.end()) s->max_exp_avg_sq(mx->second.to(p.device(), p.scalar_type()).clone());
    state[keyOf(p)] = std::move(s);
  }
}

torch::Tensor cpuRngState() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void setCpuRngState(const torch::Tensor& state) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

}  // namespace moon
