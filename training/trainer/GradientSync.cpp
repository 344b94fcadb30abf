#include "training/trainer/GradientSync.h"

#include "training/distributed/DistributedContext.h"

namespace moon {

bool GradientSync::main() const { return !dist_ || dist_->isMain(); }
int GradientSync::rank() const { return dist_ ? dist_->rank() : 0; }
int GradientSync::localRank() const { return dist_ ? dist_->localRank() : 0; }
int GradientSync::worldSize() const { return dist_ ? dist_->worldSize() : 1; }

int64_t GradientSync::broadcastRunId(int64_t runId) const {
  if (!dist_) return runId;
  const torch::Tensor id = torch::tensor({runId}, torch::kInt64);
  dist_->broadcast({id}, 0);
  return id.item<int64_t>();
}

void GradientSync::broadcastWeights(const NamedTensors& tensors) const {
  if (!dist_) return;
  std::vector<torch::Tensor> all;
  for (const auto& [name, t] : tensors) all.push_back(t);
  dist_->broadcast(all, 0);
}

std::pair<bool, bool> GradientSync::reduceGradients(const NamedTensors& params, bool stop, bool nonFinite) const {
  if (!dist_) return {stop, nonFinite};
  std::vector<torch::Tensor> tensors;
  const auto n = static_cast<int64_t>(params.size());
  const auto flags = torch::zeros({n + 2}, torch::kFloat32);  // per parameter: has a gradient; then stop, non-finite
  for (int64_t i = 0; i < n; ++i) {
    torch::Tensor p = params[static_cast<size_t>(i)].second;
    if (p.grad().defined())
      flags[i] = 1;
    else
      p.mutable_grad() = torch::zeros_like(p);
    tensors.push_back(p.grad());
  }
  flags[n] = stop ? 1 : 0;
  flags[n + 1] = nonFinite ? 1 : 0;
  tensors.push_back(flags);
  dist_->allReduceSum(tensors);
  for (int64_t i = 0; i < n; ++i) {
    const auto& [name, param] = params[static_cast<size_t>(i)];
    torch::Tensor p = param;
    if (flags[i].item<float>() == 0)
      p.mutable_grad() = torch::Tensor();
    else if (name == "logit_scale")
      p.mutable_grad().div_(static_cast<double>(dist_->worldSize()));
  }
  return {flags[n].item<float>() > 0, flags[n + 1].item<float>() > 0};
}

void GradientSync::barrier() const {
  if (dist_) dist_->barrier();
}

}  // namespace moon
