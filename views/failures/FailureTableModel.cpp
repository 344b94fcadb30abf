#include "views/failures/FailureTableModel.h"

#include <QBrush>
#include <QColor>

#include "views/common/ThumbnailCache.h"

namespace moon {
namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

QString rankText(std::size_t rank) { return rank == 0 ? QStringLiteral("—") : QString::number(rank); }

// Unranked sorts after every real rank.
qulonglong rankKey(std::size_t rank) { return rank == 0 ? ~qulonglong(0) : qulonglong(rank); }

QString categoryText(const FailureCase& c) {
  if (c.fineCategory.empty() || c.fineCategory == c.coarseCategory) return q(c.coarseCategory);
  return q(c.coarseCategory) + QStringLiteral(" / ") + q(c.fineCategory);
}

QString attributesText(const FailureCase& c) {
  if (c.trace.empty()) return {};
  if (c.attributeErrors.empty()) return QObject::tr("all %1 right").arg(c.attributesLabelled);
  return QObject::tr("%1/%2 wrong: %3")
      .arg(c.attributeErrors.size())
      .arg(c.attributesLabelled)
      .arg(q(describeAttributeErrors(c.attributeErrors)));
}

QString queryText(const FailureCase& c) {
  return c.queryTitle.empty() ? QObject::tr("(image) %1").arg(q(c.positive)) : q(c.queryTitle);
}

}  // namespace

FailureTableModel::FailureTableModel(ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractTableModel(parent), thumbnails_(thumbnails) {
  if (thumbnails_) connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, &FailureTableModel::onThumbnail);
}

void FailureTableModel::setCases(std::vector<FailureCase> cases) {
  beginResetModel();
  cases_ = std::move(cases);
  rowsByImage_.clear();
  endResetModel();
}

const FailureCase* FailureTableModel::at(int row) const {
  return row >= 0 && row < int(cases_.size()) ? &cases_[std::size_t(row)] : nullptr;
}

int FailureTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(cases_.size()); }

int FailureTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant FailureTableModel::data(const QModelIndex& index, int role) const {
  const FailureCase* c = at(index.row());
  if (!c) return {};
  const int column = index.column();
  if (role == Qt::DisplayRole) {
    switch (column) {
      case SeverityColumn:
        return index.row() + 1;
      case DirectionColumn:
        return q(c->direction);
      case QueryColumn:
        return queryText(*c);
      case RankColumn:
        return rankText(c->rank);
      case DiscRankColumn:
        return rankText(c->discRank);
      case MarginColumn:
        return QString::number(c->margin, 'f', 3);
      case CategoryColumn:
        return categoryText(*c);
      case AttributesColumn:
        return attributesText(*c);
      case TraceColumn:
        return q(c->trace);
    }
  } else if (role == SortRole) {
    switch (column) {
      case SeverityColumn:
        return index.row();
      case RankColumn:
        return rankKey(c->rank);
      case DiscRankColumn:
        return rankKey(c->discRank);
      case MarginColumn:
        return c->margin;
      case AttributesColumn:
        return qulonglong(c->attributeErrors.size());
      default:
        return data(index, Qt::DisplayRole);
    }
  } else if (role == Qt::ToolTipRole) {
    switch (column) {
      case QueryColumn:
        return tr("Triplet %1 · positive %2 · near-duplicate %3").arg(c->triplet).arg(q(c->positive), q(c->negative));
      case MarginColumn:
        return c->nearDuplicateAbove ? tr("The near-duplicate is closer to the query than the positive")
                                     : tr("cos(query, positive) − cos(query, near-duplicate)");
      case AttributesColumn:
        return attributesText(*c);
      case TraceColumn:
        return c->trace.empty()   ? tr("No trace: the evaluation generated none")
               : c->traceParsable ? q(c->trace)
                                  : tr("%1\n(not a list of key: value pairs)").arg(q(c->trace));
      case DiscRankColumn:
        return tr("Rank of the positive with <disc_emb>, taken before any trace");
      default:
        return {};
    }
  } else if (role == Qt::ForegroundRole) {
    if ((column == MarginColumn && c->nearDuplicateAbove) || (column == RankColumn && c->missedAt(10)) ||
        (column == AttributesColumn && !c->attributeErrors.empty()))
      return QBrush(QColor(0xc6, 0x28, 0x28));
  } else if (role == Qt::DecorationRole) {
    if (column != QueryColumn || !thumbnails_ || c->queryImage.empty()) return {};
    const QString file = q(c->queryImage);
    const QImage image = thumbnails_->thumbnail(file);
    if (!image.isNull()) return QPixmap::fromImage(image);
    QList<int>& waiting = rowsByImage_[file];
    if (!waiting.contains(index.row())) waiting.append(index.row());
    if (placeholder_.isNull()) {
      placeholder_ = QPixmap(thumbnails_->side(), thumbnails_->side());
      placeholder_.fill(QColor(0xee, 0xee, 0xee));
    }
    return placeholder_;
  } else if (role == Qt::TextAlignmentRole) {
    if (column == SeverityColumn || column == RankColumn || column == DiscRankColumn || column == MarginColumn)
      return int(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

void FailureTableModel::onThumbnail(const QString& file) {
  for (int row : rowsByImage_.take(file))
    if (row < rowCount()) Q_EMIT dataChanged(index(row, QueryColumn), index(row, QueryColumn), {Qt::DecorationRole});
}

QVariant FailureTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case SeverityColumn:
        return tr("#");
      case DirectionColumn:
        return tr("Direction");
      case QueryColumn:
        return tr("Query");
      case RankColumn:
        return tr("Rank");
      case DiscRankColumn:
        return tr("Disc rank");
      case MarginColumn:
        return tr("Margin");
      case CategoryColumn:
        return tr("Category");
      case AttributesColumn:
        return tr("Attributes");
      case TraceColumn:
        return tr("Trace");
    }
  } else if (role == Qt::ToolTipRole) {
    switch (section) {
      case SeverityColumn:
        return tr("Worst first: unranked, then by the positive's rank, then by the margin");
      case RankColumn:
        return tr("Rank of the positive in the gallery with <emb> (1 = found first)");
      case MarginColumn:
        return tr("cos(query, positive) − cos(query, near-duplicate); below 0 the near-duplicate wins");
      case AttributesColumn:
        return tr("The query's labelled attributes against the ones its trace states");
    }
  }
  return {};
}

FailureFilterModel::FailureFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setSortRole(FailureTableModel::SortRole);
}

void FailureFilterModel::setDirection(const QString& direction) {
  direction_ = direction;
  invalidateFilter();
}

void FailureFilterModel::setCategory(const QString& category) {
  category_ = category;
  invalidateFilter();
}

void FailureFilterModel::setKind(Kind kind) {
  kind_ = kind;
  invalidateFilter();
}

void FailureFilterModel::setText(const QString& text) {
  text_ = text.trimmed();
  invalidateFilter();
}

std::vector<FailureCase> FailureFilterModel::visibleCases() const {
  std::vector<FailureCase> out;
  const auto* source = qobject_cast<const FailureTableModel*>(sourceModel());
  if (!source) return out;
  for (int r = 0; r < rowCount(); ++r)
    if (const FailureCase* c = source->at(mapToSource(index(r, 0)).row())) out.push_back(*c);
  return out;
}

bool FailureFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex&) const {
  const auto* source = qobject_cast<const FailureTableModel*>(sourceModel());
  const FailureCase* c = source ? source->at(sourceRow) : nullptr;
  if (!c) return false;
  if (!direction_.isEmpty() && q(c->direction) != direction_) return false;
  if (!category_.isEmpty() && q(c->coarseCategory) != category_ && q(c->fineCategory) != category_) return false;
  switch (kind_) {
    case Kind::All:
      break;
    case Kind::MissedAt10:
      if (!c->missedAt(10)) return false;
      break;
    case Kind::NearDuplicateAbove:
      if (!c->nearDuplicateAbove) return false;
      break;
    case Kind::AttributeErrors:
      if (c->attributeErrors.empty()) return false;
      break;
  }
  if (text_.isEmpty()) return true;
  for (const std::string* field : {&c->queryTitle, &c->positive, &c->negative, &c->trace})
    if (q(*field).contains(text_, Qt::CaseInsensitive)) return true;
  return q(describeAttributeErrors(c->attributeErrors)).contains(text_, Qt::CaseInsensitive);
}

}  // namespace moon
