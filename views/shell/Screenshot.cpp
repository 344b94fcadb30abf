#include "views/shell/Screenshot.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QPixmap>
#include <QWindow>

#include "views/common/WaitFor.h"
#include "views/common/WorkbenchView.h"
#include "views/shell/MainWindow.h"

namespace moon {

bool saveScreenshot(MainWindow& window, const QString& viewId, const QString& file, const QSize& size, QString* error) {
  if (!window.showView(viewId)) {
    *error = QCoreApplication::translate("moon", "unknown view '%1'").arg(viewId);
    return false;
  }
  if (size.isValid()) window.resize(size);
  window.show();
  // Under a real display server the window is mapped asynchronously.
  waitFor([&] { return window.windowHandle() && window.windowHandle()->isExposed(); }, 5000);
  if (!waitFor([&] { return window.currentView()->isReady(); }, 30000)) {
    *error = QCoreApplication::translate("moon", "view '%1' did not finish loading within 30 s").arg(viewId);
    return false;
  }
  // A few more turns for layouts, deferred resizes and queued repaints.
  waitFor([] { return false; }, 150);

  const QPixmap pixels = window.grab();
  QDir().mkpath(QFileInfo(file).absolutePath());
  if (pixels.isNull() || !pixels.save(file, "PNG")) {
    *error = QCoreApplication::translate("moon", "cannot write %1").arg(QDir::toNativeSeparators(file));
    return false;
  }
  return true;
}

}  // namespace moon
