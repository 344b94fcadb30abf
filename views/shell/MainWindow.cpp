#include "views/shell/MainWindow.h"

#include <QIcon>
#include <QLabel>
#include <QStatusBar>

namespace moon {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("MOON Workbench"));
  setWindowIcon(QIcon(QStringLiteral(":/moon/icons/moon.svg")));
  auto* placeholder = new QLabel(tr("MOON Workbench"), this);
  placeholder->setAlignment(Qt::AlignCenter);
  setCentralWidget(placeholder);
  statusBar()->showMessage(tr("Ready"));
  resize(1280, 800);
}

}  // namespace moon
