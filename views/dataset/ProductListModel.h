#pragma once

#include <QAbstractListModel>
#include <QMap>
#include <QPixmap>
#include <QStringList>

#include <memory>
#include <vector>

#include "core/data/Product.h"
#include "views/dataset/ProductCatalogue.h"

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

  // The catalogue to show (built off the GUI thread by buildProductCatalogue).
  void setCatalogue(std::shared_ptr<const ProductCatalogue> catalogue);
  // Builds the catalogue here, on the calling thread (small catalogues,
  // tests). Image paths are relative to `imageRoot` (the dataset folder).
  void setProducts(std::vector<Product> products, const QString& imageRoot);
  const ProductCatalogue& catalogue() const { return *catalogue_; }

  const Product& product(int row) const { return (*catalogue_->products)[size_t(row)]; }
  const std::vector<Product>& products() const { return *catalogue_->products; }
  QString imageFile(int row) const { return catalogue_->imageFile(row); }
  int rowOf(const QString& id) const { return catalogue_->rowById.value(id, -1); }  // -1 when absent
  // Coarse and fine categories, sorted.
  const QStringList& categories() const { return catalogue_->categories; }
  // Attribute name -> its values, sorted.
  const QMap<QString, QStringList>& attributeValues() const { return catalogue_->attributeValues; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  void onThumbnail(const QString& file);

  ThumbnailCache* thumbnails_;
  std::shared_ptr<const ProductCatalogue> catalogue_;  // never null
  mutable QPixmap placeholder_;                        // shown while a thumbnail loads
};

// Rich-text tool tip: title, category, attributes.
QString productToolTip(const Product& product);

}  // namespace moon
