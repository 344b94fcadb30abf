#pragma once
// The torchrun-style environment of one data-parallel worker (DESIGN.md §2):
//   RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
// plus MOON_DIST_TIMEOUT_S, the seconds a worker waits for the rendezvous and
// for any collective before it gives up (default 1800, torch's default), so a
// missing peer or an unreachable master ends in an error, never a hang.
// The same variables come from `moon train --nproc N`, torchrun, Slurm or a
// Kubernetes job spec.
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace moon {

struct DistributedEnv {
  int rank = 0;
  int worldSize = 1;
  int localRank = 0;
  std::string masterAddr = "127.0.0.1";
  int masterPort = 29500;
  std::chrono::milliseconds timeout{1800 * 1000};
};

// Reads the variables through `lookup` (nullptr = unset). Returns nullopt when
// WORLD_SIZE is unset or 1 (single process: no process group at all). Throws
// ConfigError naming the variable for a malformed value, RANK outside
// [0, WORLD_SIZE), or a missing RANK / MASTER_ADDR / MASTER_PORT when
// WORLD_SIZE > 1.
std::optional<DistributedEnv> parseDistributedEnv(const std::function<const char*(const char*)>& lookup);

// parseDistributedEnv over the process environment.
std::optional<DistributedEnv> distributedEnvFromEnvironment();

}  // namespace moon
