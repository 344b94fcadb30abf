#include "views/dataset/ProductCatalogue.h"

#include <QDir>

#include <map>
#include <set>

namespace moon {

QString ProductCatalogue::imageFile(int row) const {
  const auto& rel = (*products)[size_t(row)].imagePath;
  if (rel.empty()) return {};
  return QDir(imageRoot).filePath(QString::fromStdString(rel));
}

std::shared_ptr<const ProductCatalogue> buildProductCatalogue(std::shared_ptr<const std::vector<Product>> products,
                                                              const QString& imageRoot) {
  auto c = std::make_shared<ProductCatalogue>();
  c->products = products ? std::move(products) : std::make_shared<const std::vector<Product>>();
  c->imageRoot = imageRoot;
  const auto& all = *c->products;
  c->rowById.reserve(qsizetype(all.size()));
  c->rowByFile.reserve(qsizetype(all.size()));
  // Distinct values are few (tens of categories, hundreds of attribute
  // values): collect them as std::string and convert each once.
  std::set<std::string> categories;
  std::map<std::string, std::set<std::string>> attributes;
  for (int r = 0; r < int(all.size()); ++r) {
    const Product& p = all[size_t(r)];
    c->rowById.insert(QString::fromStdString(p.id), r);
    const QString file = c->imageFile(r);
    if (!file.isEmpty()) c->rowByFile.insert(file, r);
    categories.insert(p.categoryPath.begin(), p.categoryPath.end());
    for (const auto* attrs : {&p.imageAttributes, &p.textAttributes})
      for (const auto& [k, v] : *attrs) attributes[k].insert(v);
  }
  for (const auto& s : categories) c->categories << QString::fromStdString(s);
  for (const auto& [k, values] : attributes) {
    QStringList list;
    for (const auto& v : values) list << QString::fromStdString(v);
    c->attributeValues.insert(QString::fromStdString(k), list);
  }
  c->text = ProductTextIndex(all);
  return c;
}

}  // namespace moon
