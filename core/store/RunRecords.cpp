#include "core/store/RunRecords.h"

#include <array>
#include <utility>

namespace moon {
namespace {

constexpr std::array<std::pair<RunStatus, const char*>, 6> kStatusNames{{
    {RunStatus::Queued, "queued"},
    {RunStatus::Running, "running"},
    {RunStatus::Stopped, "stopped"},
    {RunStatus::Completed, "completed"},
    {RunStatus::Failed, "failed"},
    {RunStatus::Interrupted, "interrupted"},
}};

template <class T>
nlohmann::json orNull(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

const char* runStatusName(RunStatus status) {
  for (const auto& [s, name] : kStatusNames)
    if (s == status) return name;
  return "unknown";
}

std::optional<RunStatus> parseRunStatus(const std::string& name) {
  for (const auto& [s, n] : kStatusNames)
    if (name == n) return s;
  return std::nullopt;
}

bool isFinished(RunStatus status) { return status != RunStatus::Queued && status != RunStatus::Running; }

nlohmann::json toJson(const RunRecord& run) {
  nlohmann::json config = nlohmann::json::parse(run.configJson, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) config = run.configJson;  // keep what was stored rather than drop it
  return {
      {"id", run.id},
      {"name", run.name},
      {"status", runStatusName(run.status)},
      {"preset", run.preset},
      {"config", config},
      {"created_at", run.createdAt},
      {"started_at", orNull(run.startedAt)},
      {"finished_at", orNull(run.finishedAt)},
      {"heartbeat_at", orNull(run.heartbeatAt)},
      {"host", run.host},
      {"device", run.device},
      {"pid", run.pid},
      {"run_dir", run.runDir},
      {"steps_done", run.stepsDone},
      {"steps_total", run.stepsTotal},
      {"best_metric_name", run.bestMetricName},
      {"best_metric", orNull(run.bestMetric)},
      {"message", run.message},
  };
}

}  // namespace moon
