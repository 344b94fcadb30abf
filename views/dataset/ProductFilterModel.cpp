#include "views/dataset/ProductFilterModel.h"

#include <algorithm>

#include "views/dataset/ProductListModel.h"

namespace moon {

ProductFilterModel::ProductFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void ProductFilterModel::setCategory(const QString& category) {
  if (category == category_) return;
  category_ = category;
  categoryStd_ = category.toStdString();
  invalidateFilter();
}

void ProductFilterModel::setAttribute(const QString& key, const QString& value) {
  if (key == key_ && value == value_) return;
  key_ = key;
  value_ = value;
  keyStd_ = key.toStdString();
  valueStd_ = value.toStdString();
  invalidateFilter();
}

void ProductFilterModel::setText(const QString& text) {
  const QString t = text.trimmed();
  if (t == text_) return;
  text_ = t;
  invalidateFilter();
}

bool ProductFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (sourceParent.isValid()) return false;
  const auto* model = qobject_cast<const ProductListModel*>(sourceModel());
  if (!model) return true;
  const Product& p = model->product(sourceRow);
  if (!categoryStd_.empty() &&
      std::find(p.categoryPath.begin(), p.categoryPath.end(), categoryStd_) == p.categoryPath.end())
    return false;
  if (!keyStd_.empty()) {
    // Text attributes win on a clash (Product::allAttributes); look there first.
    auto it = p.textAttributes.find(keyStd_);
    const bool inText = it != p.textAttributes.end();
    if (!inText) it = p.imageAttributes.find(keyStd_);
    if (!inText && it == p.imageAttributes.end()) return false;
    if (!valueStd_.empty() && it->second != valueStd_) return false;
  }
  if (!text_.isEmpty() && !QString::fromStdString(p.title).contains(text_, Qt::CaseInsensitive) &&
      !QString::fromStdString(p.id).contains(text_, Qt::CaseInsensitive))
    return false;
  return true;
}

}  // namespace moon
