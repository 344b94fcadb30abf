#include "core/store/RunCheckpoints.h"

#include <algorithm>
#include <cstdio>

#include "core/base/Error.h"

namespace fs = std::filesystem;

namespace moon {
namespace {

// A checkpoint folder is there when its config (training) or model file is.
bool folderExists(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir, ec);
}

std::string bestReason(const RunRecord& run, const CheckpointRecord& c) {
  std::string out = "best (" + (run.bestMetricName.empty() ? std::string("validation metric") : run.bestMetricName);
  if (c.metric) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " = %.4f", *c.metric);
    out += buf;
  }
  return out + ")";
}

}  // namespace

int64_t findRun(const RunStore& store, const std::string& run) {
  if (run.empty()) throw ConfigError("no run given (an id or a run name)");
  const bool numeric = run.find_first_not_of("0123456789") == std::string::npos;
  if (numeric && run.size() < 19) {
    const int64_t id = std::stoll(run);
    if (store.run(id)) return id;
  }
  const auto runs = store.listRuns();
  for (auto it = runs.rbegin(); it != runs.rend(); ++it)
    if (it->name == run) return it->id;
  throw ConfigError("run '" + run + "': no run with that " + (numeric ? "id or name" : "name") + " in " + store.path());
}

RunCheckpoint selectRunCheckpoint(const Workspace& workspace, int64_t runId, std::optional<int64_t> step) {
  const auto run = workspace.store().run(runId);
  if (!run) throw ConfigError("run " + std::to_string(runId) + ": no such run in " + workspace.store().path());
  const fs::path runDir = workspace.runDir(runId);
  const auto all = workspace.store().checkpoints(runId);
  const std::string who = "run " + std::to_string(runId) + " (" + run->name + ")";
  if (all.empty()) throw ConfigError(who + " has no checkpoint yet");
  auto pick = [&](const CheckpointRecord& c, std::string why) {
    RunCheckpoint out;
    out.runId = runId;
    out.runName = run->name;
    out.step = c.step;
    out.isBest = c.isBest;
    out.metric = c.metric;
    out.dir = runDir / c.path;
    out.why = std::move(why);
    return out;
  };
  if (step) {
    std::string steps;
    for (const auto& c : all) {
      if (c.step == *step) {
        if (!folderExists(runDir / c.path))
          throw IoError((runDir / c.path).string() + ": checkpoint folder of step " + std::to_string(*step) +
                        " is missing");
        return pick(c, "requested");
      }
      steps += (steps.empty() ? "" : ", ") + std::to_string(c.step);
    }
    throw ConfigError("checkpoint step " + std::to_string(*step) + ": " + who +
                      " has no checkpoint at that step (it has " + steps + ")");
  }
  for (const auto& c : all)
    if (c.isBest && folderExists(runDir / c.path)) return pick(c, bestReason(*run, c));
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (folderExists(runDir / it->path)) return pick(*it, "latest");
  throw IoError(who + ": every recorded checkpoint folder under " + runDir.string() + " is missing");
}

std::vector<RunCheckpoint> listCheckpoints(const RunStore& store, const fs::path& workspaceRoot) {
  std::vector<RunCheckpoint> out;
  auto runs = store.listRuns();
  std::reverse(runs.begin(), runs.end());
  for (const auto& run : runs) {
    auto checkpoints = store.checkpoints(run.id);
    std::reverse(checkpoints.begin(), checkpoints.end());
    for (const auto& c : checkpoints) {
      const fs::path dir = workspaceRoot / run.runDir / c.path;
      if (!folderExists(dir)) continue;
      RunCheckpoint r;
      r.runId = run.id;
      r.runName = run.name.empty() ? "run " + std::to_string(run.id) : run.name;
      r.step = c.step;
      r.isBest = c.isBest;
      r.metric = c.metric;
      r.dir = dir;
      r.why = c.isBest ? bestReason(run, c) : "";
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace moon
