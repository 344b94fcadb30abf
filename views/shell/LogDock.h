#pragma once

#include <QDockWidget>

namespace moon {

class LogModel;
class LogView;

// The "Log" dock: every layer's spdlog output (fed by a LogForwarder).
class LogDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit LogDock(LogModel* model, QWidget* parent = nullptr);

  LogView* logView() const { return view_; }

 private:
  LogView* view_;
};

}  // namespace moon
