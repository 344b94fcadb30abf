#include "views/common/CheckpointPicker.h"

#include <QDir>

#include "views/common/CheckpointListJob.h"

namespace moon {

CheckpointPicker::CheckpointPicker(QWidget* parent) : QComboBox(parent) {
  setMinimumContentsLength(24);
  setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  setPlaceholderText(tr("no checkpoint in this workspace yet"));
  connect(this, &QComboBox::activated, this, [this](int i) { Q_EMIT chosen(itemData(i).toString()); });
}

CheckpointPicker::~CheckpointPicker() = default;

void CheckpointPicker::list(const WorkspaceLocation& workspace) {
  job_ = makeJob<CheckpointListJob>(workspace);
  connect(job_.get(), &Job::finished, this, [this](bool ok) {
    const QString shown = currentPath();
    checkpoints_ = ok ? job_->checkpoints() : std::vector<RunCheckpoint>{};
    {
      QSignalBlocker block(this);
      clear();
      for (const RunCheckpoint& c : checkpoints_)
        addItem(tr("%1 · step %2%3")
                    .arg(QString::fromStdString(c.runName))
                    .arg(c.step)
                    .arg(c.isBest ? tr(" (best)") : QString()),
                QDir::cleanPath(QString::fromStdString(c.dir.string())));
    }
    if (!shown.isEmpty()) select(shown);
    setEnabled(true);
    Q_EMIT listed(ok, ok ? QString() : job_->errorMessage());
  });
  setEnabled(false);
  job_->start();
}

bool CheckpointPicker::isListing() const { return job_ && job_->isRunning(); }

void CheckpointPicker::select(const QString& path) {
  QSignalBlocker block(this);
  int i = findData(path);
  if (i < 0) {
    addItem(QDir::toNativeSeparators(path), path);
    i = count() - 1;
  }
  setCurrentIndex(i);
}

QString CheckpointPicker::defaultPath() const {
  if (checkpoints_.empty()) return {};
  const RunCheckpoint* pick = &checkpoints_.front();
  for (const RunCheckpoint& c : checkpoints_)
    if (c.runId == checkpoints_.front().runId && c.isBest) {
      pick = &c;
      break;
    }
  return QDir::cleanPath(QString::fromStdString(pick->dir.string()));
}

}  // namespace moon
