#pragma once

// A catalogue as the Dataset view shows it: the products (shared, never
// copied) and every lookup the view needs, built once on the loading job's
// worker thread. At a million products, building these on the GUI thread
// (hash tables of ids and image files, the category and attribute lists, the
// search index) stalled it for seconds (issue #16, bench_dataset_view).

#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "core/data/Product.h"
#include "core/data/ProductTextIndex.h"

namespace moon {

struct ProductCatalogue {
  std::shared_ptr<const std::vector<Product>> products;  // never null
  QString imageRoot;                                     // image paths are relative to it
  QHash<QString, int> rowById;
  QHash<QString, int> rowByFile;               // absolute image path -> row
  QStringList categories;                      // coarse and fine, sorted
  QMap<QString, QStringList> attributeValues;  // attribute name -> its values, sorted
  ProductTextIndex text;                       // titles and ids, for the search box

  QString imageFile(int row) const;  // absolute; "" without an image
};

// Any thread. `products` is shared, not copied.
std::shared_ptr<const ProductCatalogue> buildProductCatalogue(std::shared_ptr<const std::vector<Product>> products,
                                                              const QString& imageRoot);

}  // namespace moon
