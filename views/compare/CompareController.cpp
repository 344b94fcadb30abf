#include "views/compare/CompareController.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/image/ImageIo.h"
#include "model/compare/TripletInputs.h"
#include "views/compare/CompareJobs.h"
#include "views/dataset/DatasetLoadJob.h"

namespace moon {
namespace {

QString fromStd(const std::string& s) { return QString::fromStdString(s); }
bool running(const Job* j) { return j && j->isRunning(); }
QString cleanAbsolute(const QString& path) { return QDir::cleanPath(QFileInfo(path).absoluteFilePath()); }

// The split a first look shows: test, else the first that has triplets.
QString firstLookSplit(const Dataset& dataset) {
  if (!dataset.split("test").empty()) return QStringLiteral("test");
  for (const auto& name : dataset.splitNames())
    if (!dataset.split(name).empty()) return fromStd(name);
  return QStringLiteral("test");
}

}  // namespace

CompareController::CompareController(QObject* parent) : QObject(parent) {}

CompareController::~CompareController() = default;

void CompareController::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  refreshCheckpoints();
}

void CompareController::refreshCheckpoints() {
  if (running(listJob_.get())) return;
  listJob_ = makeJob<CheckpointListJob>(workspace_);
  connect(listJob_.get(), &Job::finished, this, &CompareController::onListed);
  listJob_->start();
  Q_EMIT busyChanged();
}

void CompareController::openNewestWhenListed() {
  openNewest_ = true;
  refreshCheckpoints();
}

void CompareController::onListed(bool ok) {
  if (ok) {
    checkpoints_ = listJob_->checkpoints();
  } else {
    showMessage(tr("Cannot list the workspace's checkpoints: %1").arg(listJob_->errorMessage()));
  }
  Q_EMIT checkpointsListed();
  if (openNewest_) {
    openNewest_ = false;
    if (!context_ && !running(loadJob_.get()) && !checkpoints_.empty())
      setCheckpoint(fromStd(checkpoints_.front().dir.string()));
    if (inputsEmpty() && !pendingTriplet_ && dataset_) showTriplet(firstLookSplit(*dataset_), 0);
  }
  Q_EMIT busyChanged();
}

bool CompareController::isReady() const {
  return !runScheduled_ && !pendingTriplet_ && !running(listJob_.get()) && !isLoading() && !isComputing();
}

bool CompareController::isComputing() const { return running(runJob_.get()); }

bool CompareController::isLoading() const {
  return running(loadJob_.get()) || running(datasetJob_.get()) || running(listJob_.get());
}

bool CompareController::inputsEmpty() const {
  return std::all_of(inputs_.begin(), inputs_.end(), [](const CompareInput& i) { return i.empty(); });
}

void CompareController::setCheckpoint(const QString& path) {
  if (path.isEmpty()) return;
  if (running(loadJob_.get())) {
    pendingCheckpoint_ = path;  // the newest request wins once the current load ends
    return;
  }
  const QString clean = cleanAbsolute(path);
  Q_EMIT checkpointChosen(clean);
  setStatus(tr("Loading %1…").arg(QDir::toNativeSeparators(clean)));
  loadJob_ = makeJob<LoadCheckpointJob>(clean, datasetDir_);
  connect(loadJob_.get(), &Job::finished, this, &CompareController::onCheckpointLoaded);
  loadJob_->start();
  Q_EMIT busyChanged();
}

void CompareController::onCheckpointLoaded(bool ok) {
  if (ok) {
    const LoadedCheckpoint& c = loadJob_->checkpoint();
    context_ = c.context;
    checkpointPath_ = loadJob_->path();
    clearMessage(true);
    setStatus(tr("%1 checkpoint: %2%3")
                  .arg(QString::fromLatin1(checkpointKindName(c.kind)), fromStd(c.summary),
                       c.tokenizerPath.empty() ? tr(" — no tokenizer: titles cannot be read") : QString()));
    if (datasetDir_.isEmpty() && !c.datasetDir.empty()) setDataset(fromStd(c.datasetDir));
  } else {
    context_.reset();
    checkpointPath_.clear();
    clearResult();
    setStatus(QString());
    showMessage(tr("Cannot load the checkpoint: %1").arg(loadJob_->errorMessage()), true);
  }
  if (pendingTriplet_ && !waitingForDataset()) {
    pendingTriplet_.reset();
    showMessage(tr("No dataset is open: pick one to show its triplets."));
  }
  if (ok) {
    if (!inputsEmpty())
      scheduleRun();
    else if (dataset_ && !pendingTriplet_)
      showTriplet(firstLookSplit(*dataset_), 0);
  }
  if (!pendingCheckpoint_.isEmpty()) {
    const QString next = pendingCheckpoint_;
    pendingCheckpoint_.clear();
    QTimer::singleShot(0, this, [this, next] { setCheckpoint(next); });
  }
  Q_EMIT busyChanged();
}

void CompareController::setDataset(const QString& dir) {
  if (dir.isEmpty()) return;
  const QString clean = cleanAbsolute(dir);
  if (running(datasetJob_.get())) {
    if (clean != datasetJob_->dir()) pendingDataset_ = clean;  // read after the current one ends
    return;
  }
  if (clean == datasetDir_ && dataset_) return;
  datasetDir_ = clean;
  dataset_.reset();
  Q_EMIT datasetChosen(clean);
  datasetJob_ = makeJob<DatasetLoadJob>(clean);
  connect(datasetJob_.get(), &Job::finished, this, &CompareController::onDatasetLoaded);
  datasetJob_->start();
  Q_EMIT busyChanged();
}

void CompareController::onDatasetLoaded(bool ok) {
  if (!pendingDataset_.isEmpty()) {
    // A newer choice came while this one was read: it wins.
    const QString next = pendingDataset_;
    pendingDataset_.clear();
    setDataset(next);
    return;
  }
  if (ok) {
    dataset_ = datasetJob_->dataset();
    Q_EMIT datasetLoaded();
  } else {
    showMessage(tr("Cannot read the dataset: %1").arg(datasetJob_->errorMessage()));
  }
  applyPendingTriplet();
  Q_EMIT busyChanged();
}

bool CompareController::waitingForDataset() const {
  // A loading checkpoint may name its run's dataset.
  return running(datasetJob_.get()) || running(loadJob_.get());
}

void CompareController::applyPendingTriplet() {
  if (!pendingTriplet_) return;
  const PendingShow t = *pendingTriplet_;
  pendingTriplet_.reset();
  if (dataset_ && !t.products.isEmpty())
    showProducts(t.products);
  else if (dataset_)
    showTriplet(t.split, t.index);
  else
    showMessage(tr("No dataset is open: pick one to show its triplets."));
}

void CompareController::showTriplet(const QString& split, int index) {
  if (!dataset_) {
    if (waitingForDataset()) {
      pendingTriplet_ = PendingShow{split, index, {}};
      Q_EMIT busyChanged();
    } else {
      showMessage(tr("No dataset is open: pick one to show its triplets."));
    }
    return;
  }
  TripletInputs in;
  try {
    in = tripletInputs(*dataset_, split.toStdString(), index);
  } catch (const Error& e) {
    showMessage(QString::fromUtf8(e.what()));
    return;
  }
  clearMessage();
  Q_EMIT tripletShown(split, index, int(dataset_->split(split.toStdString()).size()));
  for (int s = 0; s < kCompareSlots; ++s) setSlotInput(s, in.slots[size_t(s)]);
  if (!in.problems.empty()) {
    QStringList problems;
    for (const auto& p : in.problems) problems << QString::fromUtf8(p.c_str());
    showMessage(problems.join(QStringLiteral("\n")));
  }
  Q_EMIT notice(tr("Triplet %1 of split %2").arg(index).arg(split));
}

void CompareController::showProducts(const QStringList& ids) {
  if (!dataset_) {
    if (waitingForDataset()) {
      pendingTriplet_ = PendingShow{{}, 0, ids};
      Q_EMIT busyChanged();
    } else {
      showMessage(tr("No dataset is open: pick one to show its products."));
    }
    return;
  }
  std::array<std::string, kCompareSlots> slots;
  for (int s = 0; s < kCompareSlots && s < ids.size(); ++s) slots[size_t(s)] = ids[s].toStdString();
  const TripletInputs in = productInputs(*dataset_, slots);
  clearMessage();
  for (int s = 0; s < kCompareSlots; ++s) setSlotInput(s, in.slots[size_t(s)]);
  if (!in.problems.empty()) {
    QStringList problems;
    for (const auto& p : in.problems) problems << QString::fromUtf8(p.c_str());
    showMessage(problems.join(QStringLiteral("\n")));
  }
  Q_EMIT notice(tr("Products %1").arg(ids.join(QStringLiteral(", "))));
}

void CompareController::setSlotInput(int slot, const CompareInput& input) {
  inputs_[size_t(slot)] = input;
  Q_EMIT inputChanged(slot);
  clearResult();
  scheduleRun();
}

bool CompareController::setSlotImageFile(int slot, const QString& file) {
  CompareInput in = inputs_[size_t(slot)];
  try {
    in.image = readImageChecked(file.toStdString());
  } catch (const Error& e) {
    showMessage(tr("Cannot use this image: %1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  clearMessage();
  in.imagePath = file.toStdString();
  in.id.clear();  // the user's own input now
  in.truth.reset();
  setSlotInput(slot, in);
  return true;
}

void CompareController::setSlotTitle(int slot, const QString& title) {
  CompareInput in = inputs_[size_t(slot)];
  if (fromStd(in.title) == title.trimmed()) return;
  in.title = title.trimmed().toStdString();
  in.id.clear();
  in.truth.reset();
  setSlotInput(slot, in);
}

void CompareController::regenerate() {
  userCancelled_ = false;
  scheduleRun();
}

void CompareController::cancel() {
  const bool hadTriplet = pendingTriplet_.has_value();
  pendingTriplet_.reset();
  if (running(runJob_.get())) {
    userCancelled_ = true;
    rerunAfterCancel_ = false;
    runJob_->cancel();
  } else if (runScheduled_) {
    userCancelled_ = true;  // the scheduled run will not start
  }
  if (hadTriplet) Q_EMIT busyChanged();
}

void CompareController::clearResult() {
  if (!result_) return;
  result_.reset();
  Q_EMIT resultChanged();
}

void CompareController::scheduleRun() {
  if (runScheduled_) return;
  runScheduled_ = true;
  QTimer::singleShot(0, this, [this] {
    runScheduled_ = false;
    if (userCancelled_ && !running(runJob_.get())) {
      userCancelled_ = false;
      cancelled_ = true;
      clearResult();
      setStatus(tr("Cancelled."));
      Q_EMIT busyChanged();
      return;
    }
    startRun();
  });
  Q_EMIT busyChanged();
}

void CompareController::startRun() {
  if (inputsEmpty()) return Q_EMIT busyChanged();
  if (!context_) {
    if (!running(loadJob_.get()) && message_.isEmpty()) setStatus(tr("Choose a checkpoint to run the comparison."));
    return Q_EMIT busyChanged();
  }
  if (running(runJob_.get())) {
    rerunAfterCancel_ = true;
    runJob_->cancel();
    return;
  }
  cancelled_ = false;
  runJob_ = makeJob<ComparisonJob>(context_, inputs_, options_, checkpointPath_);
  connect(runJob_.get(), &Job::progressChanged, this, &CompareController::progressChanged);
  connect(runJob_.get(), &Job::finished, this, &CompareController::onComparisonFinished);
  Q_EMIT progressChanged(0);
  runJob_->start();
  Q_EMIT busyChanged();
}

void CompareController::onComparisonFinished(bool ok) {
  if (ok && !userCancelled_) {
    result_ = runJob_->result();
    Q_EMIT resultChanged();
    setStatus(
        tr("Compared in %1 s with %2").arg(result_->seconds, 0, 'f', 2).arg(QFileInfo(checkpointPath_).fileName()));
  } else if (userCancelled_ || runJob_->status() == Job::Status::Canceled) {
    if (userCancelled_) {
      cancelled_ = true;
      clearResult();
      setStatus(tr("Cancelled."));
    }
  } else {
    showMessage(tr("The comparison failed: %1").arg(runJob_->errorMessage()));
  }
  userCancelled_ = false;
  if (rerunAfterCancel_) {
    rerunAfterCancel_ = false;
    scheduleRun();
  }
  Q_EMIT busyChanged();
}

QString CompareController::message() const {
  if (stickyMessage_.isEmpty()) return message_;
  if (message_.isEmpty()) return stickyMessage_;
  return stickyMessage_ + QLatin1Char('\n') + message_;
}

void CompareController::showMessage(const QString& text, bool sticky) {
  (sticky ? stickyMessage_ : message_) = text;
  if (sticky) message_.clear();
  Q_EMIT messageChanged();
}

void CompareController::clearMessage(bool sticky) {
  const QString before = message();
  message_.clear();
  if (sticky) stickyMessage_.clear();
  if (message() != before) Q_EMIT messageChanged();
}

void CompareController::setStatus(const QString& text) {
  if (status_ == text) return;
  status_ = text;
  Q_EMIT statusChanged();
}

}  // namespace moon
