#include <QApplication>

#include "core/base/Logging.h"
#include "views/shell/MainWindow.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("MOON Workbench"));
  QApplication::setOrganizationName(QStringLiteral("moon"));
  moon::initLogging();
  moon::MainWindow window;
  window.show();
  return app.exec();
}
