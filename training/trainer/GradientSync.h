#pragma once
// Data-parallel agreement between the ranks of a run (DESIGN.md §2), or
// nothing at all in a single process (no DistributedContext): the same
// weights at the start, gradients summed after each backward pass, and the
// stop and non-finite flags agreed with them so every rank leaves after the
// same step.
#include <torch/torch.h>
#include <memory>
#include <utility>
#include "training/checkpoint/Checkpoint.h"

namespace moon {

class DistributedContext;

class GradientSync {
 public:
  explicit GradientSync(std::shared_ptr<DistributedContext> dist) : dist_(std::move(dist)) {}

  bool distributed() const { return dist_ != nullptr; }
  bool main() const;
  int rank() const;
  int localRank() const;
  int worldSize() const;
  DistributedContext* context() const { return dist_.get(); }

  // Every rank ends with rank 0's value.
  int64_t broadcastRunId(int64_t runId) const;
  void broadcastWeights(const NamedTensors& tensors) const;
  // Sums the ranks' gradients of `params` (averages "logit_scale"'s: every
  // rank sees the temperature whole, see StageOneLoss.h) together with each
  // rank's stop and non-finite flags; returns the flags of any rank. A
  // parameter no rank touched keeps an undefined gradient, as in one process.
  std::pair<bool, bool> reduceGradients(const NamedTensors& params, bool stop, bool nonFinite) const;
  void barrier() const;

 private:
  std::shared_ptr<DistributedContext> dist_;
};

}  // namespace moon
