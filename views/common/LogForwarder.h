#pragma once

#include <QObject>

#include <memory>

#include "views/common/LogLine.h"

namespace moon {

class ScopedLogSink;
class QtLogSink;

// While alive, receives every layer's spdlog lines from any thread and
// re-emits them on its own (GUI) thread. A burst of lines becomes one
// linesArrived() per event-loop turn, so a chatty worker cannot flood the
// event queue with one event per line.
class LogForwarder : public QObject {
  Q_OBJECT
 public:
  explicit LogForwarder(QObject* parent = nullptr);
  ~LogForwarder() override;

 Q_SIGNALS:
  void linesArrived(const moon::LogLines& lines);

 private:
  void deliver();

  std::shared_ptr<QtLogSink> sink_;
  std::unique_ptr<ScopedLogSink> scope_;
};

}  // namespace moon
