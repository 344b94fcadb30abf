#include "core/base/Logging.h"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace moon {
namespace {

struct Registry {
  std::mutex mutex;  // guards sinks and loggers
  std::vector<spdlog::sink_ptr> sinks;
  std::vector<std::shared_ptr<spdlog::logger>> loggers;
  spdlog::sink_ptr stderrSink;
  spdlog::level::level_enum level = spdlog::level::info;
  bool initialised = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

void initLocked(Registry& r) {
  if (r.initialised) return;
  r.initialised = true;
  if (const char* env = std::getenv("MOON_LOG_LEVEL")) r.level = spdlog::level::from_str(env);
  r.stderrSink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  r.stderrSink->set_pattern("[%H:%M:%S.%e] [%n] [%^%l%$] %v");
  r.sinks.push_back(r.stderrSink);
}

}  // namespace

void initLogging() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  initLocked(r);
}

std::shared_ptr<spdlog::logger> logger(const std::string& layer) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  initLocked(r);
  for (auto& l : r.loggers)
    if (l->name() == layer) return l;
  auto l = std::make_shared<spdlog::logger>(layer, r.sinks.begin(), r.sinks.end());
  l->set_level(r.level);
  l->flush_on(spdlog::level::warn);
  r.loggers.push_back(l);
  return l;
}

ScopedLogSink::ScopedLogSink(spdlog::sink_ptr sink) : sink_(std::move(sink)) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  initLocked(r);
  r.sinks.push_back(sink_);
  for (auto& l : r.loggers) l->sinks().push_back(sink_);
}

ScopedLogSink::~ScopedLogSink() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto drop = [this](std::vector<spdlog::sink_ptr>& v) { v.erase(std::remove(v.begin(), v.end(), sink_), v.end()); };
  drop(r.sinks);
  for (auto& l : r.loggers) {
    l->flush();
    drop(l->sinks());
  }
}

std::unique_ptr<ScopedLogSink> openRunLogFile(const std::string& path) {
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/false);
  sink->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%n] [%l] %v");
  return std::make_unique<ScopedLogSink>(sink);
}

void setStderrLogLevel(spdlog::level::level_enum level) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  initLocked(r);
  r.stderrSink->set_level(level);
}

}  // namespace moon
