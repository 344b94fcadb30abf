#pragma once

#include <QString>

namespace moon {

// Where a workbench session keeps its data. Layout (DESIGN.md §3, §6):
//   <root>/datasets/<name>/   MBE-style datasets (products.jsonl, train/val/test.jsonl, images/)
//   <root>/datasets/demo/     the synthetic catalogue created on first launch
//   <root>/runs/              one folder per training run
// A null Workspace (default-constructed) means "none open".
class Workspace {
 public:
  Workspace() = default;
  explicit Workspace(const QString& root);

  bool isNull() const { return root_.isEmpty(); }
  QString root() const { return root_; }
  QString datasetsDir() const;
  QString demoDatasetDir() const;
  QString runsDir() const;

  // True when the folder does not exist yet or is empty: opening it creates
  // the demo workspace. A non-empty folder is opened as it is.
  bool needsBootstrap() const;

  // QStandardPaths::AppDataLocation/workspace.
  static QString defaultRoot();

  bool operator==(const Workspace& other) const { return root_ == other.root_; }
  bool operator!=(const Workspace& other) const { return !(*this == other); }

 private:
  QString root_;  // absolute, cleaned
};

}  // namespace moon
