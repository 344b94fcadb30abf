#include "views/dataset/ProductFilterModel.h"

#include <algorithm>

#include "views/dataset/ProductListModel.h"

namespace moon {

ProductFilterModel::ProductFilterModel(QObject* parent) : QAbstractProxyModel(parent) {}

const ProductListModel* ProductFilterModel::products() const {
  return qobject_cast<const ProductListModel*>(sourceModel());
}

void ProductFilterModel::setSourceModel(QAbstractItemModel* source) {
  if (sourceModel()) disconnect(sourceModel(), nullptr, this, nullptr);
  QAbstractProxyModel::setSourceModel(source);
  if (source) {
    // The source only ever resets (a new catalogue) or changes data (thumbnails).
    connect(source, &QAbstractItemModel::modelReset, this, [this] { refilter(true); });
    connect(source, &QAbstractItemModel::dataChanged, this, &ProductFilterModel::onSourceDataChanged);
  }
  refilter(true);
}

void ProductFilterModel::setCategory(const QString& category) { setCriteria(category, key_, value_, text_); }

void ProductFilterModel::setAttribute(const QString& key, const QString& value) {
  setCriteria(category_, key, value, text_);
}

void ProductFilterModel::setText(const QString& text) { setCriteria(category_, key_, value_, text); }

void ProductFilterModel::setCriteria(const QString& category, const QString& key, const QString& value,
                                     const QString& text) {
  const QString t = text.trimmed();
  const bool textChanged = t != text_;
  if (!textChanged && category == category_ && key == key_ && value == value_) return;
  // A longer text that contains the last one can only match a subset of its rows.
  const bool narrowed = textChanged && !text_.isEmpty() && t.contains(text_);
  category_ = category;
  categoryStd_ = category.toStdString();
  key_ = key;
  keyStd_ = key.toStdString();
  value_ = value;
  valueStd_ = value.toStdString();
  text_ = t;
  if (textChanged) {
    if (const auto* model = products()) {
      const std::string needle = t.toStdString();
      textRows_ = model->catalogue().text.find(needle, narrowed ? &textRows_ : nullptr);
    }
  }
  refilter(false);
}

void ProductFilterModel::refilter(bool rescanText) {
  const auto* model = products();
  std::vector<uint32_t> rows;
  if (model) {
    if (rescanText) textRows_ = model->catalogue().text.find(text_.toStdString());
    const auto& all = model->products();
    rows.reserve(textRows_.size());
    for (uint32_t r : textRows_) {
      const Product& p = all[r];
      if (!categoryStd_.empty() &&
          std::find(p.categoryPath.begin(), p.categoryPath.end(), categoryStd_) == p.categoryPath.end())
        continue;
      if (!keyStd_.empty()) {
        // Text attributes win on a clash (Product::allAttributes); look there first.
        auto it = p.textAttributes.find(keyStd_);
        const bool inText = it != p.textAttributes.end();
        if (!inText) it = p.imageAttributes.find(keyStd_);
        if (!inText && it == p.imageAttributes.end()) continue;
        if (!valueStd_.empty() && it->second != valueStd_) continue;
      }
      rows.push_back(r);
    }
  } else {
    textRows_.clear();
  }
  beginResetModel();
  rows_ = std::move(rows);
  endResetModel();
}

void ProductFilterModel::onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight,
                                             const QList<int>& roles) {
  // Thumbnails arrive one row at a time: forward each row that is shown.
  for (int r = topLeft.row(); r <= bottomRight.row(); ++r) {
    const QModelIndex mapped = mapFromSource(sourceModel()->index(r, 0));
    if (mapped.isValid()) Q_EMIT dataChanged(mapped, mapped, roles);
  }
}

QModelIndex ProductFilterModel::mapToSource(const QModelIndex& proxyIndex) const {
  if (!proxyIndex.isValid() || !sourceModel() || proxyIndex.row() >= int(rows_.size())) return {};
  return sourceModel()->index(int(rows_[size_t(proxyIndex.row())]), proxyIndex.column());
}

QModelIndex ProductFilterModel::mapFromSource(const QModelIndex& sourceIndex) const {
  if (!sourceIndex.isValid() || sourceIndex.model() != sourceModel()) return {};
  const auto row = uint32_t(sourceIndex.row());
  const auto it = std::lower_bound(rows_.begin(), rows_.end(), row);
  if (it == rows_.end() || *it != row) return {};
  return createIndex(int(it - rows_.begin()), sourceIndex.column());
}

QModelIndex ProductFilterModel::index(int row, int column, const QModelIndex& parent) const {
  if (parent.isValid() || row < 0 || column < 0 || row >= int(rows_.size()) || column >= columnCount()) return {};
  return createIndex(row, column);
}

QModelIndex ProductFilterModel::parent(const QModelIndex&) const { return {}; }

int ProductFilterModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int ProductFilterModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

}  // namespace moon
