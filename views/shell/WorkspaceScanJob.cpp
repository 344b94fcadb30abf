#include "views/shell/WorkspaceScanJob.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <exception>

#include "core/data/DatasetLayout.h"
#include "core/store/RunStore.h"
#include "views/common/WorkspaceStore.h"

namespace moon {

WorkspaceScanJob::WorkspaceScanJob(WorkspaceLocation workspace)
    : Job(tr("Scanning workspace %1").arg(workspace.root())), workspace_(std::move(workspace)) {}

qint64 WorkspaceScanJob::countLines(const QString& path, const std::function<bool()>& canceled) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return -1;
  qint64 lines = 0;
  char last = '\n';
  QByteArray chunk;
  while (!(chunk = file.read(1 << 20)).isEmpty()) {
    if (canceled && canceled()) return -1;
    lines += chunk.count('\n');
    last = chunk.back();
  }
  return lines + (last != '\n' ? 1 : 0);
}

DatasetSummary WorkspaceScanJob::scanDataset(const QString& dir) {
  DatasetSummary d;
  d.name = QFileInfo(dir).fileName();
  d.path = dir;
  const auto canceled = [this] { return isCanceled(); };
  auto file = [&](const std::string& name) { return dir + QLatin1Char('/') + QString::fromStdString(name); };
  d.products = countLines(file(kProductsFile), canceled);
  d.train = countLines(file(splitFileName("train")), canceled);
  d.val = countLines(file(splitFileName("val")), canceled);
  d.test = countLines(file(splitFileName("test")), canceled);
  if (QFileInfo(dir + QStringLiteral("/images")).isDir()) {
    d.images = 0;
    QDirIterator it(dir + QStringLiteral("/images"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext() && !isCanceled()) {
      it.next();
      ++d.images;
    }
  }
  return d;
}

RunsSummary WorkspaceScanJob::readRuns() const {
  RunsSummary runs;
  runs.hasStore = workspace_.isWorkspace();
  if (!runs.hasStore) return runs;
  try {
    const auto store = openWorkspaceStore(workspace_);
    std::vector<RunRecord> all = listRunsChecked(*store);  // oldest first
    runs.total = int(all.size());
    for (const RunRecord& r : all) ++runs.byStatus[r.status];
    const size_t keep = std::min(all.size(), size_t(kLatestRuns));
    runs.latest.assign(all.rbegin(), all.rbegin() + std::ptrdiff_t(keep));
  } catch (const std::exception& e) {
    runs.error = QString::fromUtf8(e.what());
  }
  return runs;
}

bool WorkspaceScanJob::run() {
  summary_.root = workspace_.root();
  const QDir root(workspace_.root());
  summary_.exists = root.exists();
  if (!summary_.exists) return true;

  const QFileInfoList top =
      root.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot, QDir::DirsFirst | QDir::Name | QDir::IgnoreCase);
  for (const QFileInfo& info : top)
    summary_.entries.push_back({info.fileName(), info.isDir(), info.isDir() ? 0 : info.size(), info.lastModified()});

  summary_.runs = readRuns();

  const QDir datasets(workspace_.datasetsDir());
  const QStringList names = datasets.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name | QDir::IgnoreCase);
  for (int i = 0; i < names.size() && !isCanceled(); ++i) {
    const QString dir = datasets.filePath(names[i]);
    if (QFileInfo::exists(dir + QLatin1Char('/') + QLatin1String(kProductsFile)))
      summary_.datasets.push_back(scanDataset(dir));
    setProgress(100.0 * (i + 1) / names.size());
  }
  return !isCanceled();
}

}  // namespace moon
