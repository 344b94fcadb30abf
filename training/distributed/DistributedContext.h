#pragma once
// One data-parallel worker's view of the c10d process group (DESIGN.md §2):
// a TCPStore rendezvous at MASTER_ADDR:MASTER_PORT (rank 0 hosts it) and
// ProcessGroupGloo on CPU, or ProcessGroupNCCL when the device is CUDA and
// LibTorch was built with it (USE_C10D_NCCL).
//
//   auto dist = DistributedContext::fromEnvironment(device);  // nullptr: single process
//   if (dist) dist->allReduceSum(grads);
//
// A single process has no context at all, so the single-process path costs
// nothing. Every collective must be called by all ranks in the same order;
// each waits at most the environment's timeout (MOON_DIST_TIMEOUT_S) and then
// throws instead of hanging.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "training/distributed/DistributedEnv.h"

namespace moon {

class DistributedContext {
 public:
  // nullptr when the environment asks for one process. Throws ConfigError for
  // bad variables, a master that cannot be reached (or a port rank 0 cannot
  // bind) within the timeout.
  static std::shared_ptr<DistributedContext> fromEnvironment(const torch::Device& device);
  static std::shared_ptr<DistributedContext> create(const DistributedEnv& env, const torch::Device& device);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return env_.rank; }
  int worldSize() const { return env_.worldSize; }
  int localRank() const { return env_.localRank; }
  bool isMain() const { return env_.rank == 0; }
  const DistributedEnv& env() const { return env_; }

  // In place, element-wise sum over ranks. The tensors travel as one flat
  // buffer (one collective), in float64 when any of them is float64.
  void allReduceSum(const std::vector<torch::Tensor>& tensors);
  // In place: every rank ends with `root`'s values.
  void broadcast(const std::vector<torch::Tensor>& tensors, int root = 0);
  // [W·n, ...]: every rank's `local` [n, ...] in rank order (same shape on
  // every rank). This rank's rows are `local` itself, so the gradient of
  // whatever uses the result reaches this rank's own part; the other ranks'
  // rows are constants.
  torch::Tensor allGather(const torch::Tensor& local);
  void barrier();

 private:
  DistributedContext(DistributedEnv env, torch::Device device);
  struct Group;
  DistributedEnv env_;
  std::unique_ptr<Group> group_;
};

}  // namespace moon
