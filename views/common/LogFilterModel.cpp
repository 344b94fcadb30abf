#include "views/common/LogFilterModel.h"

#include "views/common/LogModel.h"

namespace moon {

LogFilterModel::LogFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void LogFilterModel::setMinimumLevel(int level) {
  if (level == minimumLevel_) return;
  minimumLevel_ = level;
  invalidateRowsFilter();
}

void LogFilterModel::setText(const QString& text) {
  if (text == text_) return;
  text_ = text;
  invalidateRowsFilter();
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  if (sourceModel()->data(index, LogModel::LevelRole).toInt() < minimumLevel_) return false;
  if (text_.isEmpty()) return true;
  for (int column : {int(LogModel::MessageColumn), int(LogModel::LoggerColumn)}) {
    const QString value = sourceModel()->index(sourceRow, column, sourceParent).data().toString();
    if (value.contains(text_, Qt::CaseInsensitive)) return true;
  }
  return false;
}

}  // namespace moon
