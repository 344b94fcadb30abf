#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace moon {

class LogModel;
class LogFilterModel;

// A log table over a LogModel with a minimum-level choice, a text filter, and
// follow-the-tail scrolling (kept only while the view is scrolled to the end).
class LogView : public QWidget {
  Q_OBJECT
 public:
  explicit LogView(LogModel* model, QWidget* parent = nullptr);

  LogFilterModel* filterModel() const { return filter_; }
  QTableView* table() const { return table_; }
  void setMinimumLevel(int level);

 private:
  void copySelection();

  LogModel* model_;
  LogFilterModel* filter_;
  QTableView* table_;
  QComboBox* level_;
  QLineEdit* text_;
  bool follow_ = true;
};

}  // namespace moon
