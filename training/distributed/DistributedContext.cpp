#include "training/distributed/DistributedContext.h"

// Debian's LibTorch is built with Gloo but its CMake config does not export
// the define that unlocks the Gloo process group's header.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>

#include "core/base/Error.h"
#include "core/base/Logging.h"

namespace moon {
namespace {

bool isLoopback(const std::string& addr) { return addr == "localhost" || addr.rfind("127.", 0) == 0 || addr == "::1"; }

std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedEnv& env) {
  // Like torch.distributed: GLOO_SOCKET_IFNAME picks the interface; a
  // loopback master means a single machine, where loopback always works.
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (isLoopback(env.masterAddr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

std::string where(const DistributedEnv& env) {
  return "rank " + std::to_string(env.rank) + " of " + std::to_string(env.worldSize) +
         ", MASTER_ADDR=" + env.masterAddr + " MASTER_PORT=" + std::to_string(env.masterPort);
}

}  // namespace

struct DistributedContext::Group {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> pg;
  torch::Device device{torch::kCPU};  // where tensors must be for the collectives

  void wait(const c10::intrusive_ptr<c10d::Work>& work) { work->wait(); }
};

DistributedContext::DistributedContext(DistributedEnv env, torch::Device device)
    : env_(std::move(env)), group_(std::make_unique<Group>()) {
  c10d::TCPStoreOptions so;
  so.port = static_cast<std::uint16_t>(env_.masterPort);
  so.isServer = env_.rank == 0;
  so.numWorkers = static_cast<std::size_t>(env_.worldSize);
  so.waitWorkers = true;
  so.timeout = env_.timeout;
  const int64_t seconds = static_cast<int64_t>(env_.timeout.count() / 1000);
  try {
    group_->store = c10::make_intrusive<c10d::TCPStore>(env_.masterAddr, so);
  } catch (const std::exception& e) {
    throw ConfigError("distributed rendezvous failed (" + where(env_) + ", timeout " + std::to_string(seconds) +
                      " s from MOON_DIST_TIMEOUT_S): " +
                      (env_.rank == 0 ? "rank 0 could not host the store or not every rank joined"
                                      : "the master could not be reached or not every rank joined") +
                      ": " + e.what());
  }
  try {
#ifdef USE_C10D_NCCL
    if (device.is_cuda()) {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = env_.timeout;
      group_->pg = c10::make_intrusive<c10d::ProcessGroupNCCL>(group_->store, env_.rank, env_.worldSize, options);
      group_->device = device;
    }
#endif
    if (!group_->pg) {
      auto options = c10d::ProcessGroupGloo::Options::create(env_.timeout);
      options->devices.push_back(glooDevice(env_));
      group_->pg = c10::make_intrusive<c10d::ProcessGroupGloo>(group_->store, env_.rank, env_.worldSize, options);
    }
  } catch (const std::exception& e) {
    throw ConfigError("distributed process group could not be set up (" + where(env_) + "): " + e.what());
  }
  log::training()->info("distributed: rank {} of {} (local rank {}) joined {}:{} with {}", env_.rank, env_.worldSize,
                        env_.localRank, env_.masterAddr, env_.masterPort, group_->pg->getBackendName());
}

DistributedContext::~DistributedContext() = default;

std::shared_ptr<DistributedContext> DistributedContext::fromEnvironment(const torch::Device& device) {
  const auto env = distributedEnvFromEnvironment();
  if (!env) return nullptr;
  return create(*env, device);
}

std::shared_ptr<DistributedContext> DistributedContext::create(const DistributedEnv& env, const torch::Device& device) {
  return std::shared_ptr<DistributedContext>(new DistributedContext(env, device));
}

void DistributedContext::allReduceSum(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return;
  torch::NoGradGuard noGrad;
  auto dtype = torch::kFloat32;
  for (const auto& t : tensors)
    if (t.scalar_type() == torch::kFloat64) dtype = torch::kFloat64;
  std::vector<torch::Tensor> flat;
  for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}).to(group_->device, dtype));
  std::vector<torch::Tensor> buffer{torch::cat(flat)};
  group_->wait(group_->pg->allreduce(buffer, c10d::AllreduceOptions()));
  int64_t offset = 0;
  for (const auto& t : tensors) {
    const int64_t n = t.numel();
    t.copy_(buffer[0].narrow(0, offset, n).view(t.sizes()));
    offset += n;
  }
}

void DistributedContext::broadcast(const std::vector<torch::Tensor>& tensors, int root) {
  torch::NoGradGuard noGrad;
  for (const auto& t : tensors) {
    std::vector<torch::Tensor> one{t.detach().contiguous().to(group_->device)};
    c10d::BroadcastOptions o;
    o.rootRank = root;
    group_->wait(group_->pg->broadcast(one, o));
    t.copy_(one[0]);
  }
}

torch::Tensor DistributedContext::allGather(const torch::Tensor& local) {
  std::vector<torch::Tensor> parts;
  {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> input{local.detach().contiguous().to(group_->device)};
    std::vector<std::vector<torch::Tensor>> output(1);
    for (int r = 0; r < env_.worldSize; ++r) output[0].push_back(torch::empty_like(input[0]));
    group_->wait(group_->pg->allgather(output, input));
    for (auto& t : output[0]) parts.push_back(t.to(local.device()));
  }
  parts[static_cast<size_t>(env_.rank)] = local;
  return torch::cat(parts, 0);
}

void DistributedContext::barrier() { group_->wait(group_->pg->barrier()); }

}  // namespace moon
