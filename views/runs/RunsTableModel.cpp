#include "views/runs/RunsTableModel.h"

#include <QColor>
#include <QDateTime>
#include <QLocale>

#include <algorithm>
#include <cmath>

#include "training/events/TrainEvent.h"
#include "views/common/Theme.h"

namespace moon {
namespace {

bool sameRow(const RunRecord& a, const RunRecord& b) {
  return a.name == b.name && a.status == b.status && a.preset == b.preset && a.stepsDone == b.stepsDone &&
         a.stepsTotal == b.stepsTotal && a.bestMetric == b.bestMetric && a.bestMetricName == b.bestMetricName &&
         a.startedAt == b.startedAt && a.finishedAt == b.finishedAt && a.heartbeatAt == b.heartbeatAt &&
         a.message == b.message && a.pid == b.pid && a.configJson == b.configJson;
}

}  // namespace

QString formatDuration(double seconds) {
  if (!(seconds >= 0)) return QString();
  const qint64 s = static_cast<qint64>(std::llround(seconds));
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
    return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case Name:
      return tr("Name");
    case Status:
      return tr("Status");
    case Preset:
      return tr("Preset");
    case Steps:
      return tr("Steps");
    case Best:
      return tr("Best");
    case Started:
      return tr("Started");
    case Duration:
      return tr("Duration");
    default:
      return {};
  }
}

double RunsTableModel::duration(const RunRecord& r) const {
  if (!r.startedAt) return -1;
  double end = now_ > 0 ? now_ : wallClockSeconds();
  if (r.finishedAt)
    end = *r.finishedAt;
  else if (r.status != RunStatus::Running && r.heartbeatAt)
    end = *r.heartbeatAt;
  return std::max(0.0, end - *r.startedAt);
}

QVariant RunsTableModel::display(const RunRecord& r, int column) const {
  switch (column) {
    case Name:
      return QString::fromStdString(r.name);
    case Status:
      return QString::fromLatin1(runStatusName(r.status));
    case Preset:
      return QString::fromStdString(r.preset);
    case Steps:
      return r.stepsTotal > 0 ? QStringLiteral("%1 / %2").arg(r.stepsDone).arg(r.stepsTotal)
                              : QString::number(r.stepsDone);
    case Best:
      return r.bestMetric ? QString::number(*r.bestMetric, 'f', 4) : QString();
    case Started:
      return r.startedAt
                 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(qint64(*r.startedAt * 1000)), QLocale::ShortFormat)
                 : QString();
    case Duration:
      return formatDuration(duration(r));
    default:
      return {};
  }
}

QVariant RunsTableModel::sortValue(const RunRecord& r, int column) const {
  switch (column) {
    case Steps:
      return QVariant::fromValue<qint64>(r.stepsDone);
    case Best:
      return r.bestMetric ? QVariant(*r.bestMetric) : QVariant(-1e300);
    case Started:
      return r.startedAt ? *r.startedAt : r.createdAt;
    case Duration:
      return duration(r);
    case Status:
      return static_cast<int>(r.status);
    default:
      return display(r, column);
  }
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const RunRecord& r = runs_[static_cast<size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return display(r, index.column());
    case RunIdRole:
      return QVariant::fromValue<qint64>(r.id);
    case StatusRole:
      return static_cast<int>(r.status);
    case SortRole:
      return sortValue(r, index.column());
    case Qt::ForegroundRole:
      if (index.column() == Status) return runStatusColour(r.status);
      return {};
    case Qt::ToolTipRole:
      if (index.column() == Status && !r.message.empty()) return QString::fromStdString(r.message);
      if (index.column() == Best && !r.bestMetricName.empty()) return QString::fromStdString(r.bestMetricName);
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == Steps || index.column() == Best || index.column() == Duration)
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    default:
      return {};
  }
}

void RunsTableModel::update(const std::vector<RunRecord>& runs) {
  QHash<qint64, const RunRecord*> incoming;
  for (const RunRecord& r : runs) incoming.insert(r.id, &r);

  // Removed runs, from the bottom so row numbers above stay valid.
  for (int row = static_cast<int>(runs_.size()) - 1; row >= 0; --row) {
    if (incoming.contains(runs_[size_t(row)].id)) continue;
    beginRemoveRows({}, row, row);
    runs_.erase(runs_.begin() + row);
    endRemoveRows();
  }
  reindex();

  // Changed runs: one dataChanged per row (running rows change every poll anyway).
  for (size_t row = 0; row < runs_.size(); ++row) {
    const RunRecord& fresh = *incoming.value(runs_[row].id);
    const bool durationMoves = runs_[row].status == RunStatus::Running;
    if (sameRow(runs_[row], fresh) && !durationMoves) continue;
    runs_[row] = fresh;
    Q_EMIT dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
  }

  // New runs, appended in the store's order.
  std::vector<RunRecord> added;
  for (const RunRecord& r : runs)
    if (!rows_.contains(r.id)) added.push_back(r);
  if (!added.empty()) {
    const int first = static_cast<int>(runs_.size());
    beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
    runs_.insert(runs_.end(), added.begin(), added.end());
    reindex();
    endInsertRows();
  }
}

void RunsTableModel::clear() {
  if (runs_.empty()) return;
  beginRemoveRows({}, 0, static_cast<int>(runs_.size()) - 1);
  runs_.clear();
  rows_.clear();
  endRemoveRows();
}

const RunRecord* RunsTableModel::run(qint64 id) const {
  const int row = rowOf(id);
  return row < 0 ? nullptr : &runs_[size_t(row)];
}

std::vector<qint64> RunsTableModel::runIds() const {
  std::vector<qint64> ids;
  for (const RunRecord& r : runs_) ids.push_back(r.id);
  return ids;
}

void RunsTableModel::reindex() {
  rows_.clear();
  for (size_t i = 0; i < runs_.size(); ++i) rows_.insert(runs_[i].id, int(i));
}

}  // namespace moon
