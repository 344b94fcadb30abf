#pragma once

// Reading a `moon train` child's stdout as the GUI does: one JSON event per
// line (training/events/TrainEvent.h).

#include <QElapsedTimer>
#include <QProcess>

#include <optional>

#include "training/events/TrainEvent.h"

namespace moon::test {

// Reads the child's stdout until an event of `kind` arrives and returns it;
// nothing when the child ends or `timeoutMs` passes first.
inline std::optional<TrainEvent> waitForEvent(QProcess& p, TrainEventKind kind, int timeoutMs = 120000) {
  QElapsedTimer t;
  t.start();
  while (t.elapsed() < timeoutMs) {
    while (p.canReadLine()) {
      const auto parsed = parseTrainEvent(p.readLine().toStdString());
      if (parsed.ok() && parsed.event->kind == kind) return parsed.event;
    }
    if (p.state() == QProcess::NotRunning) return std::nullopt;
    p.waitForReadyRead(200);
  }
  return std::nullopt;
}

}  // namespace moon::test
