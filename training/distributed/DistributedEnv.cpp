#include "training/distributed/DistributedEnv.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "core/base/Error.h"

namespace moon {
namespace {

long parseInteger(const char* name, const char* text, long lo, long hi) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < lo || v > hi)
    throw ConfigError(std::string("environment variable ") + name + "='" + text + "': expected an integer in [" +
                      std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

}  // namespace

std::optional<DistributedEnv> parseDistributedEnv(const std::function<const char*(const char*)>& lookup) {
  auto get = [&](const char* name) -> const char* {
    const char* v = lookup(name);
    return v && *v ? v : nullptr;
  };
  const char* world = get("WORLD_SIZE");
  if (!world) return std::nullopt;
  DistributedEnv env;
  env.worldSize = static_cast<int>(parseInteger("WORLD_SIZE", world, 1, 65536));
  if (env.worldSize == 1) return std::nullopt;

  auto required = [&](const char* name) {
    const char* v = get(name);
    if (!v)
      throw ConfigError(std::string("environment variable ") + name + " is not set, but WORLD_SIZE=" + world +
                        " asks for distributed training (set RANK, LOCAL_RANK, MASTER_ADDR, MASTER_PORT as torchrun "
                        "does, or use moon train --nproc N)");
    return v;
  };
  env.rank = static_cast<int>(parseInteger("RANK", required("RANK"), 0, std::numeric_limits<int>::max()));
  if (env.rank >= env.worldSize)
    throw ConfigError("environment variable RANK=" + std::to_string(env.rank) +
                      " is not below WORLD_SIZE=" + std::to_string(env.worldSize) + " (ranks are 0 .. WORLD_SIZE-1)");
  if (const char* local = get("LOCAL_RANK"))
    env.localRank = static_cast<int>(parseInteger("LOCAL_RANK", local, 0, env.worldSize - 1));
  else
    env.localRank = env.rank;
  env.masterAddr = required("MASTER_ADDR");
  env.masterPort = static_cast<int>(parseInteger("MASTER_PORT", required("MASTER_PORT"), 1, 65535));
  if (const char* t = get("MOON_DIST_TIMEOUT_S"))
    env.timeout = std::chrono::milliseconds(parseInteger("MOON_DIST_TIMEOUT_S", t, 1, 7 * 24 * 3600) * 1000);
  return env;
}

std::optional<DistributedEnv> distributedEnvFromEnvironment() {
  return parseDistributedEnv([](const char* name) { return std::getenv(name); });
}

}  // namespace moon
