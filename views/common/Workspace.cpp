#include "views/common/Workspace.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace moon {

Workspace::Workspace(const QString& root)
    : root_(root.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(root).absoluteFilePath())) {}

QString Workspace::datasetsDir() const { return root_ + QStringLiteral("/datasets"); }

QString Workspace::demoDatasetDir() const { return datasetsDir() + QStringLiteral("/demo"); }

QString Workspace::runsDir() const { return root_ + QStringLiteral("/runs"); }

bool Workspace::needsBootstrap() const {
  if (isNull()) return false;
  const QDir dir(root_);
  return !dir.exists() || dir.isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
}

QString Workspace::defaultRoot() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/workspace");
}

}  // namespace moon
