#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QPixmap>
#include <QSortFilterProxyModel>
#include <QString>

#include <vector>

#include "training/eval/FailureList.h"

namespace moon {

class ThumbnailCache;

// A FailureList as a table, one row per query, in the list's order (worst
// first); SortRole gives numbers for the numeric columns. The query column
// shows the query's image through `thumbnails` (when given).
class FailureTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column {
    SeverityColumn,  // 1 = worst
    DirectionColumn,
    QueryColumn,
    RankColumn,
    DiscRankColumn,
    MarginColumn,
    CategoryColumn,
    AttributesColumn,
    TraceColumn,
    ColumnCount
  };
  enum Role { SortRole = Qt::UserRole + 1 };

  explicit FailureTableModel(ThumbnailCache* thumbnails = nullptr, QObject* parent = nullptr);

  void setCases(std::vector<FailureCase> cases);
  const std::vector<FailureCase>& cases() const { return cases_; }
  const FailureCase* at(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  void onThumbnail(const QString& file);

  ThumbnailCache* thumbnails_;
  std::vector<FailureCase> cases_;
  mutable QHash<QString, QList<int>> rowsByImage_;  // rows waiting for a thumbnail
  mutable QPixmap placeholder_;
};

// Which failures to show: a direction ("" = all), a category (coarse or fine;
// "" = all), a kind of failure, and free text in the query, ids, trace or
// attribute errors.
class FailureFilterModel : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  enum class Kind {
    All,
    MissedAt10,          // the positive is not in the top 10 (or unranked)
    NearDuplicateAbove,  // the near-duplicate is closer than the positive
    AttributeErrors,     // the trace got a labelled attribute wrong
  };

  explicit FailureFilterModel(QObject* parent = nullptr);

  void setDirection(const QString& direction);
  void setCategory(const QString& category);
  void setKind(Kind kind);
  void setText(const QString& text);

  // The cases the filter lets through, in the view's current order.
  std::vector<FailureCase> visibleCases() const;

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString direction_, category_, text_;
  Kind kind_ = Kind::All;
};

}  // namespace moon
