#include "views/dataset/TripletListModel.h"

#include <QPixmap>

#include "core/data/Dataset.h"
#include "views/common/ThumbnailCache.h"
#include "views/dataset/ProductListModel.h"

namespace moon {
namespace {

const std::vector<Triplet> kNoTriplets;

}  // namespace

TripletListModel::TripletListModel(ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractTableModel(parent), thumbnails_(thumbnails) {
  if (thumbnails_) connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, &TripletListModel::onThumbnail);
}

void TripletListModel::setSplit(std::shared_ptr<const Dataset> dataset, const QString& split) {
  beginResetModel();
  dataset_ = std::move(dataset);
  split_ = split;
  cellsByFile_.clear();
  endResetModel();
}

const Triplet* TripletListModel::triplet(int row) const {
  if (!dataset_ || row < 0) return nullptr;
  const auto& all = dataset_->split(split_.toStdString());
  return row < int(all.size()) ? &all[size_t(row)] : nullptr;
}

int TripletListModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !dataset_) return 0;
  return int(dataset_->split(split_.toStdString()).size());
}

int TripletListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString TripletListModel::imageFile(int row, int column) const {
  const Triplet* t = triplet(row);
  if (!t) return {};
  if (column == QueryColumn)
    return t->query.imagePath ? QString::fromStdString(dataset_->imageFile(*t->query.imagePath)) : QString();
  const Product* p = dataset_->findProduct(column == PositiveColumn ? t->positiveId : t->negativeId);
  return p && !p->imagePath.empty() ? QString::fromStdString(dataset_->imageFile(p->imagePath)) : QString();
}

QVariant TripletListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Triplet* t = triplet(index.row());
  if (!t) return {};
  const int column = index.column();
  const Product* p =
      column == QueryColumn ? nullptr : dataset_->findProduct(column == PositiveColumn ? t->positiveId : t->negativeId);
  switch (role) {
    case Qt::DisplayRole:
      if (column == QueryColumn) {
        const QString kind = QString::fromLatin1(modalityName(t->query.modality));
        return t->query.title ? QStringLiteral("[%1] %2").arg(kind, QString::fromStdString(*t->query.title))
                              : QStringLiteral("[%1] (image only)").arg(kind);
      }
      return p ? QString::fromStdString(p->title) : tr("(missing product)");
    case Qt::ToolTipRole:
      if (p) return productToolTip(*p);
      return tr("Query #%1 (%2): double-click to compare").arg(index.row()).arg(modalityName(t->query.modality));
    case Qt::DecorationRole: {
      if (!thumbnails_) return {};
      const QString file = imageFile(index.row(), column);
      if (file.isEmpty()) return {};
      const QImage image = thumbnails_->thumbnail(file);
      if (!image.isNull()) return QPixmap::fromImage(image);
      auto& waiting = cellsByFile_[file];
      if (!waiting.contains(index)) waiting.append(index);
      if (placeholder_.isNull()) {
        placeholder_ = QPixmap(thumbnails_->side(), thumbnails_->side());
        placeholder_.fill(QColor(0xee, 0xee, 0xee));
      }
      return placeholder_;
    }
    case ProductIdRole:
      return p ? QString::fromStdString(p->id) : QString();
    case ImageFileRole:
      return imageFile(index.row(), column);
    default:
      return {};
  }
}

QVariant TripletListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section;
  switch (section) {
    case QueryColumn:
      return tr("Query");
    case PositiveColumn:
      return tr("Ground truth");
    case NegativeColumn:
      return tr("Near-duplicate");
    default:
      return {};
  }
}

void TripletListModel::onThumbnail(const QString& file) {
  const auto cells = cellsByFile_.take(file);
  for (const QModelIndex& i : cells)
    if (i.isValid() && i.model() == this) Q_EMIT dataChanged(i, i, {Qt::DecorationRole});
}

}  // namespace moon
