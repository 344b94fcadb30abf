#include "views/dataset/ProductListModel.h"

#include <QFontMetrics>
#include <QPixmap>

#include "views/common/ThumbnailCache.h"

namespace moon {

ProductListModel::ProductListModel(ThumbnailCache* thumbnails, QObject* parent)
    : QAbstractListModel(parent), thumbnails_(thumbnails), catalogue_(buildProductCatalogue(nullptr, {})) {
  if (thumbnails_) connect(thumbnails_, &ThumbnailCache::thumbnailReady, this, &ProductListModel::onThumbnail);
}

void ProductListModel::setCatalogue(std::shared_ptr<const ProductCatalogue> catalogue) {
  beginResetModel();
  catalogue_ = catalogue ? std::move(catalogue) : buildProductCatalogue(nullptr, {});
  endResetModel();
}

void ProductListModel::setProducts(std::vector<Product> products, const QString& imageRoot) {
  setCatalogue(buildProductCatalogue(std::make_shared<const std::vector<Product>>(std::move(products)), imageRoot));
}

int ProductListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(catalogue_->products->size());
}

QVariant ProductListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Product& p = product(index.row());
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
  const auto it = catalogue_->rowByFile.constFind(file);
  if (it == catalogue_->rowByFile.constEnd()) return;
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
