#include "views/common/ExportDialog.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>

#include "views/common/WorkspaceLocation.h"

namespace moon {

QString exportWithDialog(QWidget* parent, const WorkspaceLocation& workspace, const QString& title,
                         const QString& fileName, const QString& filters,
                         const std::function<bool(const QString& path, QString* error)>& write) {
  const QString dir = workspace.isNull() ? QDir::homePath() : workspace.exportsDir();
  QDir().mkpath(dir);
  const QString path = QFileDialog::getSaveFileName(parent, title, QDir(dir).filePath(fileName), filters);
  if (path.isEmpty()) return {};
  QString error;
  if (write(path, &error)) return path;
  QMessageBox::warning(parent, title, error);
  return {};
}

}  // namespace moon
