#include "views/common/WorkspaceLocation.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include "core/store/Workspace.h"

namespace moon {

WorkspaceLocation::WorkspaceLocation(const QString& root)
    : root_(root.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(root).absoluteFilePath())) {}

QString WorkspaceLocation::databasePath() const {
  return root_ + QLatin1Char('/') + QString::fromLatin1(Workspace::kDatabaseName);
}

QString WorkspaceLocation::runsDir() const { return root_ + QLatin1Char('/') + QLatin1String(Workspace::kRunsDir); }

QString WorkspaceLocation::exportsDir() const {
  return root_ + QLatin1Char('/') + QLatin1String(Workspace::kExportsDir);
}

QString WorkspaceLocation::datasetsDir() const {
  return root_ + QLatin1Char('/') + QLatin1String(Workspace::kDatasetsDir);
}

QString WorkspaceLocation::demoDatasetDir() const {
  return datasetsDir() + QLatin1Char('/') + QLatin1String(Workspace::kDemoDataset);
}

bool WorkspaceLocation::isWorkspace() const { return !isNull() && Workspace::exists(root_.toStdString()); }

bool WorkspaceLocation::isMissingOrEmpty() const {
  if (isNull()) return false;
  const QDir dir(root_);
  return !dir.exists() || dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

QString WorkspaceLocation::defaultRoot() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/workspace");
}

}  // namespace moon
