#pragma once

#include <QSize>
#include <QString>

namespace moon {

class MainWindow;

// Shows `window` at `size` with view `viewId` current, waits until the window
// is exposed and the view is ready (WorkbenchView::isReady), and writes the
// window's pixels to `file` as PNG. False with *error set on failure.
bool saveScreenshot(MainWindow& window, const QString& viewId, const QString& file, const QSize& size, QString* error);

}  // namespace moon
