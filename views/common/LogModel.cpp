#include "views/common/LogModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>

#include <algorithm>

namespace moon {
namespace {

// spdlog::level::level_enum values, spelled out so this file needs no spdlog header.
constexpr int kWarn = 3;
constexpr int kError = 4;
constexpr int kDebug = 1;

QColor levelColour(int level) {
  if (level >= kError) return QColor(0xc6, 0x28, 0x28);
  if (level == kWarn) return QColor(0x9a, 0x5b, 0x00);
  if (level <= kDebug) return QColor(0x7a, 0x84, 0x99);
  return {};
}

}  // namespace

LogModel::LogModel(int maxLines, QObject* parent) : QAbstractTableModel(parent), maxLines_(std::max(1, maxLines)) {}

void LogModel::setMaxLines(int maxLines) {
  maxLines_ = std::max(1, maxLines);
  if (int(lines_.size()) > maxLines_) dropOldest(int(lines_.size()) - maxLines_);
}

int LogModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(lines_.size()); }

int LogModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString LogModel::levelName(int level) {
  static const char* names[] = {"trace", "debug", "info", "warning", "error", "critical", "off"};
  return QString::fromLatin1(names[std::clamp(level, 0, 6)]);
}

QString LogModel::format(const LogLine& line) {
  return QStringLiteral("%1 [%2] %3: %4")
      .arg(QDateTime::fromMSecsSinceEpoch(line.msecsSinceEpoch).toString(QStringLiteral("HH:mm:ss.zzz")), line.logger,
           levelName(line.level), line.message);
}

QVariant LogModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const LogLine& l = lines_[size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TimeColumn:
          return QDateTime::fromMSecsSinceEpoch(l.msecsSinceEpoch).toString(QStringLiteral("HH:mm:ss.zzz"));
        case LoggerColumn:
          return l.logger;
        case LevelColumn:
          return levelName(l.level);
        case MessageColumn:
          return l.message;
      }
      return {};
    case Qt::ToolTipRole:
      return format(l);
    case Qt::ForegroundRole: {
      const QColor c = levelColour(l.level);
      return c.isValid() ? QVariant(QBrush(c)) : QVariant();
    }
    case Qt::FontRole:
      if (l.level >= kError && index.column() == LevelColumn) {
        QFont f;
        f.setBold(true);
        return f;
      }
      return {};
    case LevelRole:
      return l.level;
    case LineRole:
      return format(l);
  }
  return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TimeColumn:
      return tr("Time");
    case LoggerColumn:
      return tr("Layer");
    case LevelColumn:
      return tr("Level");
    case MessageColumn:
      return tr("Message");
  }
  return {};
}

void LogModel::append(const LogLines& lines) {
  if (lines.isEmpty()) return;
  // Only the newest maxLines_ of the batch can survive.
  const int keep = std::min(int(lines.size()), maxLines_);
  const int overflow = int(lines_.size()) + keep - maxLines_;
  if (overflow > 0) dropOldest(overflow);
  const int first = int(lines_.size());
  beginInsertRows({}, first, first + keep - 1);
  lines_.insert(lines_.end(), lines.end() - keep, lines.end());
  endInsertRows();
}

void LogModel::clear() {
  if (lines_.empty()) return;
  beginResetModel();
  lines_.clear();
  endResetModel();
}

void LogModel::dropOldest(int count) {
  count = std::min(count, int(lines_.size()));
  if (count <= 0) return;
  beginRemoveRows({}, 0, count - 1);
  lines_.erase(lines_.begin(), lines_.begin() + count);
  endRemoveRows();
}

}  // namespace moon
