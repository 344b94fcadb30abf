#pragma once

#include <QAbstractTableModel>

#include <deque>

#include "views/common/LogLine.h"

namespace moon {

// The most recent log lines, oldest first, capped at maxLines(): appending
// past the cap drops the oldest rows. Columns: time, layer, level, message.
class LogModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { TimeColumn, LoggerColumn, LevelColumn, MessageColumn, ColumnCount };
  enum Role { LevelRole = Qt::UserRole + 1, LineRole };

  explicit LogModel(int maxLines = 5000, QObject* parent = nullptr);

  int maxLines() const { return maxLines_; }
  void setMaxLines(int maxLines);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  const LogLine& line(int row) const { return lines_[size_t(row)]; }

  // "12:03:04.123 [core] warning: message" — for copying lines out.
  static QString format(const LogLine& line);
  static QString levelName(int level);

 public Q_SLOTS:
  void append(const moon::LogLines& lines);
  void clear();

 private:
  void dropOldest(int count);

  int maxLines_;
  std::deque<LogLine> lines_;
};

}  // namespace moon
