#include "views/common/LogForwarder.h"

#include <chrono>
#include <mutex>

#include <spdlog/sinks/base_sink.h>

#include "core/base/Logging.h"

namespace moon {

// The spdlog side: called on whatever thread logs, with base_sink's mutex_ held.
class QtLogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit QtLogSink(LogForwarder* target, std::function<void()> deliver)
      : target_(target), deliver_(std::move(deliver)) {}

  // Owning thread: stop posting; lines logged afterwards are dropped.
  void detach() {
    std::lock_guard<std::mutex> lock(mutex_);
    target_ = nullptr;
    pending_.clear();
  }

  LogLines takePending() {
    std::lock_guard<std::mutex> lock(mutex_);
    LogLines out;
    out.swap(pending_);
    return out;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    if (!target_) return;
    LogLine line;
    line.msecsSinceEpoch = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    line.level = static_cast<int>(msg.level);
    line.logger = QString::fromUtf8(msg.logger_name.data(), qsizetype(msg.logger_name.size()));
    line.message = QString::fromUtf8(msg.payload.data(), qsizetype(msg.payload.size()));
    const bool first = pending_.isEmpty();
    pending_.append(std::move(line));
    // One queued call per batch; it is discarded by Qt if the target dies first.
    if (first) QMetaObject::invokeMethod(target_, deliver_, Qt::QueuedConnection);
  }
  void flush_() override {}

 private:
  LogForwarder* target_;  // guarded by mutex_
  LogLines pending_;      // guarded by mutex_
  std::function<void()> deliver_;
};

LogForwarder::LogForwarder(QObject* parent) : QObject(parent) {
  qRegisterMetaType<LogLine>();
  qRegisterMetaType<LogLines>();
  sink_ = std::make_shared<QtLogSink>(this, [this] { deliver(); });
  scope_ = std::make_unique<ScopedLogSink>(sink_);
}

LogForwarder::~LogForwarder() {
  scope_.reset();
  sink_->detach();
}

void LogForwarder::deliver() {
  LogLines lines = sink_->takePending();
  if (!lines.isEmpty()) Q_EMIT linesArrived(lines);
}

}  // namespace moon
