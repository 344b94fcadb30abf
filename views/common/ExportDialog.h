#pragma once

// The views' export flow: a save dialog opening in the workspace's exports
// folder, the write, and a warning naming the file when it fails.

#include <QString>

#include <functional>

class QWidget;

namespace moon {

class WorkspaceLocation;

// The path written, or "" when the user cancelled or the write failed (a
// warning was shown then).
QString exportWithDialog(QWidget* parent, const WorkspaceLocation& workspace, const QString& title,
                         const QString& fileName, const QString& filters,
                         const std::function<bool(const QString& path, QString* error)>& write);

}  // namespace moon
