#include "views/dataset/ProductListModel.h"

#include <QDir>
#include <QFontMetrics>
#include <QPixmap>
#include <QSet>

#include <algorithm>

#include "views/common/ThumbnailCache.h"

namespace moon {

ProductListModel::ProductListModel(ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails) {
  if (thumbnails_) connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, &ProductListModel::onThumbnail);
}

void ProductListModel::setProducts(std::vector<Product> products, const QString& imageRoot) {
  beginResetModel();
  products_ = std::move(products);
  imageRoot_ = imageRoot;
  rowByFile_.clear();
  rowById_.clear();
  for (int r = 0; r < int(products_.size()); ++r) {
    rowById_.insert(QString::fromStdString(products_[size_t(r)].id), r);
    const QString file = imageFile(r);
    if (!file.isEmpty()) rowByFile_.insert(file, r);
  }
  endResetModel();
}

QString ProductListModel::imageFile(int row) const {
  const auto& rel = products_[size_t(row)].imagePath;
  if (rel.empty()) return {};
  return QDir(imageRoot_).filePath(QString::fromStdString(rel));
}

int ProductListModel::rowOf(const QString& id) const { return rowById_.value(id, -1); }

QStringList ProductListModel::categories() const {
  QSet<QString> set;
  for (const auto& p : products_)
    for (const auto& c : p.categoryPath) set.insert(QString::fromStdString(c));
  QStringList out(set.begin(), set.end());
  out.sort();
  return out;
}

QMap<QString, QStringList> ProductListModel::attributeValues() const {
  QMap<QString, QSet<QString>> sets;
  for (const auto& p : products_)
    for (const auto& [k, v] : p.allAttributes()) sets[QString::fromStdString(k)].insert(QString::fromStdString(v));
  QMap<QString, QStringList> out;
  for (auto it = sets.begin(); it != sets.end(); ++it) {
    QStringList values(it.value().begin(), it.value().end());
    values.sort();
    out.insert(it.key(), values);
  }
  return out;
}

int ProductListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(products_.size()); }

QVariant ProductListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Product& p = products_[size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
      return QString::fromStdString(p.title);
    case Qt::ToolTipRole:
      return productToolTip(p);
    case Qt::DecorationRole: {
      if (!thumbnails_) return {};
      const QImage image = thumbnails_->thumbnail(imageFile(index.row()));
      if (!image.isNull()) return QPixmap::fromImage(image);
      if (placeholder_.isNull()) {
        placeholder_ = QPixmap(thumbnails_->side(), thumbnails_->side());
        placeholder_.fill(QColor(0xee, 0xee, 0xee));
      }
      return placeholder_;
    }
    case IdRole:
      return QString::fromStdString(p.id);
    case CategoryRole:
      return QString::fromStdString(p.coarseCategory() + " / " + p.fineCategory());
    case AttributesRole: {
      QVariantMap map;
      for (const auto& [k, v] : p.allAttributes()) map.insert(QString::fromStdString(k), QString::fromStdString(v));
      return map;
    }
    case ImageFileRole:
      return imageFile(index.row());
    default:
      return {};
  }
}

QHash<int, QByteArray> ProductListModel::roleNames() const {
  auto names = QAbstractListModel::roleNames();
  names.insert(IdRole, "productId");
  names.insert(TitleRole, "title");
  names.insert(CategoryRole, "category");
  names.insert(AttributesRole, "attributes");
  names.insert(ImageFileRole, "imageFile");
  return names;
}

void ProductListModel::onThumbnail(const QString& file) {
  const auto it = rowByFile_.constFind(file);
  if (it == rowByFile_.constEnd()) return;
  const QModelIndex i = index(*it);
  Q_EMIT dataChanged(i, i, {Qt::DecorationRole});
}

QString productToolTip(const Product& p) {
  QString html = QStringLiteral("<b>%1</b><br><span style='color:#666'>%2 · %3</span><table>")
                     .arg(QString::fromStdString(p.title).toHtmlEscaped(),
                          QString::fromStdString(p.coarseCategory() + " / " + p.fineCategory()).toHtmlEscaped(),
                          QString::fromStdString(p.id).toHtmlEscaped());
  for (const auto& [k, v] : p.allAttributes())
    html += QStringLiteral("<tr><td style='color:#666'>%1</td><td>%2</td></tr>")
                .arg(QString::fromStdString(k).toHtmlEscaped(), QString::fromStdString(v).toHtmlEscaped());
  return html + QStringLiteral("</table>");
}

}  // namespace moon
