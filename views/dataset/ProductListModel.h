#pragma once

#include <QAbstractListModel>
#include <QMap>
#include <QPixmap>
#include <QStringList>

#include <vector>

#include "core/data/Product.h"

namespace moon {

class ThumbnailCache;

// The products of a catalogue as a list (one row per product) for a grid
// view: the title as text, a thumbnail loaded lazily through a
// ThumbnailCache, and title + attributes as the tool tip.
class ProductListModel : public QAbstractListModel {
  Q_OBJECT
 public:
  enum Role {
    IdRole = Qt::UserRole + 1,
    TitleRole,
    CategoryRole,    // "coarse / fine"
    AttributesRole,  // QVariantMap of every attribute
    ImageFileRole,   // absolute path ("" without an image)
  };

  // `thumbnails` may be null (no decoration); it is not owned.
  explicit ProductListModel(ThumbnailCache* thumbnails = nullptr, QObject* parent = nullptr);

  // Image paths are relative to `imageRoot` (the dataset folder).
  void setProducts(std::vector<Product> products, const QString& imageRoot);
  const Product& product(int row) const { return products_[size_t(row)]; }
  const std::vector<Product>& products() const { return products_; }
  QString imageFile(int row) const;
  int rowOf(const QString& id) const;  // -1 when absent

  // Coarse and fine categories, sorted.
  QStringList categories() const;
  // Attribute name -> its values, sorted.
  QMap<QString, QStringList> attributeValues() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  void onThumbnail(const QString& file);

  ThumbnailCache* thumbnails_;
  std::vector<Product> products_;
  QString imageRoot_;
  QHash<QString, int> rowByFile_;
  QHash<QString, int> rowById_;
  mutable QPixmap placeholder_;  // shown while a thumbnail loads
};

// Rich-text tool tip: title, category, attributes.
QString productToolTip(const Product& product);

}  // namespace moon
