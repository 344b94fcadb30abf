#pragma once

// The workspace's runs as a table (one row per run), fed by polling the run
// store: update() compares the new listing with the rows it has and emits
// dataChanged / rowsInserted / rowsRemoved for what changed, never a reset,
// so selections and the scroll position survive every refresh.

#include <QAbstractTableModel>
#include <QColor>
#include <QHash>

#include <vector>

#include "core/store/RunRecords.h"

namespace moon {

class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { Name, Status, Preset, Steps, Best, Started, Duration, ColumnCount };
  enum Role {
    RunIdRole = Qt::UserRole + 1,  // qint64
    SortRole,                      // a value that sorts (numbers, times)
    StatusRole,                    // int(RunStatus)
  };

  explicit RunsTableModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Replaces the rows by `runs` incrementally (matched by id).
  void update(const std::vector<RunRecord>& runs);
  void clear();

  // "now" for the duration of running runs (tests pin it).
  void setNow(double now) { now_ = now; }

  const RunRecord* run(qint64 id) const;
  const RunRecord& runAt(int row) const { return runs_.at(static_cast<size_t>(row)); }
  int rowOf(qint64 id) const { return rows_.value(id, -1); }
  std::vector<qint64> runIds() const;

 private:
  QVariant display(const RunRecord& r, int column) const;
  QVariant sortValue(const RunRecord& r, int column) const;
  double duration(const RunRecord& r) const;
  void reindex();

  std::vector<RunRecord> runs_;
  QHash<qint64, int> rows_;  // id -> row
  double now_ = 0;           // 0: the wall clock
};

// "3 s", "4 min 05 s", "2 h 07 min".
QString formatDuration(double seconds);

}  // namespace moon
