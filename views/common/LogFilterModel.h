#pragma once

#include <QSortFilterProxyModel>

namespace moon {

// Hides log lines below a minimum level and, optionally, lines whose message
// or layer does not contain a text (case-insensitive).
class LogFilterModel : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit LogFilterModel(QObject* parent = nullptr);

  int minimumLevel() const { return minimumLevel_; }
  void setMinimumLevel(int level);
  void setText(const QString& text);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  int minimumLevel_ = 0;
  QString text_;
};

}  // namespace moon
