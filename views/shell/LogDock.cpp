#include "views/shell/LogDock.h"

#include "views/common/LogView.h"

namespace moon {

LogDock::LogDock(LogModel* model, QWidget* parent) : QDockWidget(tr("Log"), parent), view_(new LogView(model, this)) {
  setObjectName(QStringLiteral("logDock"));  // saveState() keys docks by object name
  setAllowedAreas(Qt::BottomDockWidgetArea | Qt::RightDockWidgetArea | Qt::LeftDockWidgetArea);
  setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  setWidget(view_);
}

}  // namespace moon
