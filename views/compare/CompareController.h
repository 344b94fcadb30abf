#pragma once

// The Compare view's state and work, without widgets (so it is tested on its
// own): the checkpoint, the dataset and the three slot inputs it compares,
// the jobs that list, load and compute them on worker threads, and what
// happens when one ends while another is pending. The view lays out what the
// signals say and forwards what the user does.
//
// States: a checkpoint is absent, loading, loaded or failed (a failure is
// kept as a sticky message until the next checkpoint); the dataset likewise;
// a comparison is idle, scheduled, running or cancelled. A triplet asked for
// before its dataset is read waits for it (and for a loading checkpoint that
// may name its run's dataset); with nothing left to wait for it is dropped
// with a message, so isReady() never waits for work that will not come.

#include <QObject>
#include <QString>
#include <QStringList>

#include <array>
#include <memory>
#include <optional>
#include <vector>

#include "core/store/RunCheckpoints.h"
#include "model/compare/ComparisonResult.h"
#include "views/common/Job.h"
#include "views/common/WorkspaceLocation.h"

namespace moon {

class CheckpointListJob;
class ComparisonJob;
class Dataset;
class DatasetLoadJob;
class InferenceContext;
class LoadCheckpointJob;

class CompareController : public QObject {
  Q_OBJECT
 public:
  explicit CompareController(QObject* parent = nullptr);
  ~CompareController() override;

  // Lists the workspace's checkpoints (a job); checkpointsListed() follows.
  void setWorkspace(const WorkspaceLocation& workspace);
  void refreshCheckpoints();
  // First visit of the view: once the list is read, open the newest
  // checkpoint unless one is open or loading, and show the first triplet.
  void openNewestWhenListed();

  // Loads a checkpoint folder; the comparison reruns once it is loaded.
  void setCheckpoint(const QString& path);
  void setDataset(const QString& dir);
  // Fills the three slots from a dataset triplet (once the dataset is read).
  void showTriplet(const QString& split, int index);
  // Fills the slots with three catalogue products by id (query, ground truth, near-duplicate).
  void showProducts(const QStringList& ids);
  void setSlotInput(int slot, const CompareInput& input);
  // Reads an image file into a slot (keeps its title); false with a message when unreadable.
  bool setSlotImageFile(int slot, const QString& file);
  void setSlotTitle(int slot, const QString& title);
  // Used by the next comparison (does not start one).
  void setOptions(const CompareOptions& options) { options_ = options; }
  CompareOptions options() const { return options_; }

  // Runs the comparison now (cancelling a running one).
  void regenerate();
  // Cancels a running comparison and a waiting triplet; the result is cleared.
  void cancel();

  // False while anything is listed, loaded, scheduled or computed.
  bool isReady() const;
  bool isComputing() const;
  bool isLoading() const;  // a checkpoint, a dataset or the checkpoint list
  bool hasModel() const { return context_ != nullptr; }
  // The loaded model (null before one loads); shared with jobs that run on it.
  std::shared_ptr<InferenceContext> context() const { return context_; }
  bool inputsEmpty() const;
  bool wasCancelled() const { return cancelled_; }
  const CompareInput& input(int slot) const { return inputs_[size_t(slot)]; }
  const ComparisonResult* result() const { return result_ ? &*result_ : nullptr; }
  QString checkpointPath() const { return checkpointPath_; }  // the loaded one
  QString datasetDir() const { return datasetDir_; }
  std::shared_ptr<const Dataset> dataset() const { return dataset_; }
  const std::vector<RunCheckpoint>& checkpoints() const { return checkpoints_; }
  // The problems now ("" when none): a failed checkpoint load, which stays
  // until a checkpoint loads, above the last input or dataset problem.
  QString message() const;
  // One line on what is loaded or happening.
  QString status() const { return status_; }

 Q_SIGNALS:
  void checkpointsListed();
  void checkpointChosen(const QString& path);  // a load started
  void datasetChosen(const QString& dir);      // a read started
  void datasetLoaded();                        // dataset() holds its splits
  void tripletShown(const QString& split, int index, int count);
  void inputChanged(int slot);
  void resultChanged();  // result(), possibly cleared
  void progressChanged(double percent);
  void busyChanged();
  void messageChanged();
  void statusChanged();
  void notice(const QString& text);  // a passing note for the status bar

 private:
  // Sticky: the checkpoint's failure, replaced or cleared only by the next
  // checkpoint. Otherwise the passing problem, replaced by the next one.
  void showMessage(const QString& text, bool sticky = false);
  void clearMessage(bool sticky = false);
  void setStatus(const QString& text);
  void clearResult();
  void scheduleRun();
  void startRun();
  void onListed(bool ok);
  void onCheckpointLoaded(bool ok);
  void onDatasetLoaded(bool ok);
  void onComparisonFinished(bool ok);
  void applyPendingTriplet();
  bool waitingForDataset() const;

  WorkspaceLocation workspace_;
  std::array<CompareInput, kCompareSlots> inputs_;
  CompareOptions options_;
  std::shared_ptr<InferenceContext> context_;
  QString checkpointPath_;
  QString pendingCheckpoint_;
  std::shared_ptr<const Dataset> dataset_;
  QString datasetDir_;
  QString pendingDataset_;
  // What to show once the dataset is read: a triplet, or three products.
  struct PendingShow {
    QString split;
    int index = 0;
    QStringList products;  // non-empty: showProducts(products)
  };
  std::optional<PendingShow> pendingTriplet_;
  std::optional<ComparisonResult> result_;
  std::vector<RunCheckpoint> checkpoints_;
  JobPtr<CheckpointListJob> listJob_;
  JobPtr<LoadCheckpointJob> loadJob_;
  JobPtr<DatasetLoadJob> datasetJob_;
  JobPtr<ComparisonJob> runJob_;
  bool openNewest_ = false;
  bool runScheduled_ = false;
  bool rerunAfterCancel_ = false;
  bool userCancelled_ = false;
  bool cancelled_ = false;
  QString stickyMessage_;
  QString message_;
  QString status_;
};

}  // namespace moon
