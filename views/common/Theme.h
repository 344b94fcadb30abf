#pragma once

#include <QIcon>
#include <QString>

class QApplication;

namespace moon {

// Registers resources/resources.qrc (compiled into the static moon_views
// library, so it must be pulled in explicitly). Idempotent.
void initWorkbenchResources();

// The workbench look: Fusion, a light palette and resources/style/workbench.qss.
void applyWorkbenchTheme(QApplication& app);

// An icon from resources/icons/<name>.svg.
QIcon workbenchIcon(const QString& name);

}  // namespace moon
