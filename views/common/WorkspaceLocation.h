#pragma once

#include <QString>

namespace moon {

// Where the open workspace is, as a value that views copy freely (the opened
// store, core/store/Workspace, is not shared: a view that reads runs opens
// its own RunStore on the thread that reads). Layout:
//   <root>/moon.db            run store        ┐
//   <root>/runs/<id>/         one run's files  ├ core/store/Workspace.h
//   <root>/exports/           exported files   ┘
//   <root>/datasets/<name>/   MBE-style datasets (README "Dataset format")
//   <root>/datasets/demo/     the synthetic catalogue made on first launch
// (the names are core/store/Workspace.h's constants).
// A null location (default-constructed) means "no workspace open".
class WorkspaceLocation {
 public:
  WorkspaceLocation() = default;
  explicit WorkspaceLocation(const QString& root);

  bool isNull() const { return root_.isEmpty(); }
  QString root() const { return root_; }
  QString databasePath() const;
  QString runsDir() const;
  QString exportsDir() const;
  QString datasetsDir() const;
  QString demoDatasetDir() const;

  // Holds a run store (moon.db): it is a workspace already.
  bool isWorkspace() const;
  // The folder does not exist or is empty: opening it makes the demo workspace.
  bool isMissingOrEmpty() const;

  // QStandardPaths::AppDataLocation/workspace.
  static QString defaultRoot();

  bool operator==(const WorkspaceLocation& other) const { return root_ == other.root_; }
  bool operator!=(const WorkspaceLocation& other) const { return !(*this == other); }

 private:
  QString root_;  // absolute, cleaned
};

}  // namespace moon
