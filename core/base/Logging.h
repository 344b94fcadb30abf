#pragma once

// One named spdlog logger per layer ("core", "model", "training", "views",
// "app"), all writing to the same set of sinks: stderr by default, plus a
// per-run log file while a run is active, plus any sink a front end adds
// (the GUI's log dock).

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace moon {

// Idempotent. Level from $MOON_LOG_LEVEL (trace|debug|info|warn|error|off), default info.
void initLogging();

std::shared_ptr<spdlog::logger> logger(const std::string& layer);

namespace log {
inline std::shared_ptr<spdlog::logger> core() { return logger("core"); }
inline std::shared_ptr<spdlog::logger> model() { return logger("model"); }
inline std::shared_ptr<spdlog::logger> training() { return logger("training"); }
inline std::shared_ptr<spdlog::logger> views() { return logger("views"); }
inline std::shared_ptr<spdlog::logger> app() { return logger("app"); }
}  // namespace log

// Adds `sink` to every layer's logger (present and future) until the
// returned handle is destroyed.
class ScopedLogSink {
 public:
  explicit ScopedLogSink(spdlog::sink_ptr sink);
  ~ScopedLogSink();
  ScopedLogSink(const ScopedLogSink&) = delete;
  ScopedLogSink& operator=(const ScopedLogSink&) = delete;

 private:
  spdlog::sink_ptr sink_;
};

// Appends every layer's log lines to `path` (a run's log file) while alive.
std::unique_ptr<ScopedLogSink> openRunLogFile(const std::string& path);

// Keep stderr quiet (a child process whose stdout/stderr is parsed, tests).
void setStderrLogLevel(spdlog::level::level_enum level);

}  // namespace moon
