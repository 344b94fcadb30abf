#pragma once

// The configuration keys that differ between two runs, side by side.

#include <QDialog>

#include "core/store/RunRecords.h"

class QTableWidget;

namespace moon {

class ConfigDiffDialog : public QDialog {
  Q_OBJECT
 public:
  ConfigDiffDialog(const RunRecord& left, const RunRecord& right, QWidget* parent = nullptr);
  int differenceCount() const;
  QTableWidget* table() const { return table_; }

 private:
  QTableWidget* table_;
};

}  // namespace moon
