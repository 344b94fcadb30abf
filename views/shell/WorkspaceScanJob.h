#pragma once

#include <QDateTime>
#include <QString>
#include <QVector>

#include <map>
#include <vector>

#include "core/store/RunRecords.h"

#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

// An MBE-style dataset folder found under <workspace>/datasets. Counts are -1
// when the file is absent.
struct DatasetSummary {
  QString name;
  QString path;
  qint64 products = -1;  // lines of products.jsonl
  qint64 train = -1;     // lines of train.jsonl / val.jsonl / test.jsonl (triplets)
  qint64 val = -1;
  qint64 test = -1;
  qint64 images = -1;  // files under images/
};

struct WorkspaceEntry {
  QString name;
  bool isDir = false;
  qint64 bytes = 0;  // files only
  QDateTime modified;
};

// What the run store holds, read once.
struct RunsSummary {
  bool hasStore = false;  // moon.db exists
  QString error;          // the store could not be read (the message names the file)
  int total = 0;
  std::map<RunStatus, int> byStatus;
  std::vector<RunRecord> latest;  // newest first, at most kLatestRuns
};

struct WorkspaceSummary {
  QString root;
  bool exists = false;
  QVector<DatasetSummary> datasets;
  QVector<WorkspaceEntry> entries;  // top level, folders first
  RunsSummary runs;
};

// Looks through a workspace on a worker thread: counting the lines of a large
// products.jsonl or the files of an images/ folder, or waiting for the run
// store while a training process writes to it, must not freeze the window.
class WorkspaceScanJob : public Job {
  Q_OBJECT
 public:
  explicit WorkspaceScanJob(WorkspaceLocation workspace);

  // Owning thread, after finished(true).
  const WorkspaceSummary& summary() const { return summary_; }

  // Lines in a text file (a last line without '\n' counts); -1 if it cannot be read.
  // Stops early, returning -1, when `canceled` turns true.
  static constexpr int kLatestRuns = 5;

  static qint64 countLines(const QString& path, const std::function<bool()>& canceled = {});

 protected:
  bool run() override;

 private:
  DatasetSummary scanDataset(const QString& dir);
  RunsSummary readRuns() const;

  const WorkspaceLocation workspace_;
  WorkspaceSummary summary_;  // written by run(), read after finished()
};

}  // namespace moon
