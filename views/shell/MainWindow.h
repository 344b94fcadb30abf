#pragma once

#include <QMainWindow>

namespace moon {

// The workbench's main window: it only wires views together.
class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace moon
