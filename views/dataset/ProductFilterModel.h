#pragma once

#include <QAbstractProxyModel>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace moon {

class ProductListModel;

// Filters a ProductListModel by category (coarse or fine), one attribute
// value and free text in the title or id. Empty criteria match everything.
//
// A flat proxy over the rows that pass, in source order. Not a
// QSortFilterProxyModel: at a million products its per-row callback (a
// string conversion per title per keystroke) and its mapping tables took
// seconds. Text goes through the catalogue's ProductTextIndex, and typing
// more characters narrows the previous matches instead of rescanning
// (issue #16: a keystroke < 100 ms at 1 M products).
class ProductFilterModel : public QAbstractProxyModel {
  Q_OBJECT

 public:
  explicit ProductFilterModel(QObject* parent = nullptr);

  // Must be a ProductListModel (anything else shows no rows).
  void setSourceModel(QAbstractItemModel* source) override;

  void setCategory(const QString& category);
  // `key` empty: no attribute filter; `value` empty: the product has the attribute at all.
  void setAttribute(const QString& key, const QString& value);
  // ASCII letters match either case; other characters exactly.
  void setText(const QString& text);
  // All three at once: one refilter.
  void setCriteria(const QString& category, const QString& key, const QString& value, const QString& text);

  QString category() const { return category_; }
  QString attributeKey() const { return key_; }
  QString attributeValue() const { return value_; }
  QString text() const { return text_; }

  QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
  QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;

 private:
  const ProductListModel* products() const;
  // `rescanText`: search the whole catalogue again (else textRows_ is current).
  void refilter(bool rescanText);
  void onSourceDataChanged(const QModelIndex& topLeft, const QModelIndex& bottomRight, const QList<int>& roles);

  QString category_, key_, value_, text_;
  std::string categoryStd_, keyStd_, valueStd_;
  std::vector<uint32_t> textRows_;  // rows whose title or id contains text_ (all rows for "")
  std::vector<uint32_t> rows_;      // rows that pass every criterion, ascending
};

}  // namespace moon
