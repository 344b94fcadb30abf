#pragma once

#include <QMetaType>
#include <QString>
#include <QVector>

namespace moon {

// One spdlog record as a value, so it can cross from a logging thread to the GUI.
struct LogLine {
  qint64 msecsSinceEpoch = 0;
  int level = 2;   // spdlog::level::level_enum: 0 trace … 5 critical
  QString logger;  // layer: core, model, training, views, app
  QString message;
};

using LogLines = QVector<LogLine>;

}  // namespace moon

Q_DECLARE_METATYPE(moon::LogLine)
Q_DECLARE_METATYPE(moon::LogLines)
