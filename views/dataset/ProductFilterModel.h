#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace moon {

// Filters a ProductListModel by category (coarse or fine), one attribute
// value and free text in the title or id. Empty criteria match everything.
class ProductFilterModel : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit ProductFilterModel(QObject* parent = nullptr);

  void setCategory(const QString& category);
  // `key` empty: no attribute filter; `value` empty: the product has the attribute at all.
  void setAttribute(const QString& key, const QString& value);
  void setText(const QString& text);

  QString category() const { return category_; }
  QString attributeKey() const { return key_; }
  QString attributeValue() const { return value_; }
  QString text() const { return text_; }

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString category_, key_, value_, text_;
  std::string categoryStd_, keyStd_, valueStd_;
};

}  // namespace moon
