#pragma once

// The Runs view's "Timeline" tab for one run (issue #15 §4): a triplet's
// cosines to its ground truth and near-duplicate, and their margin, at every
// saved checkpoint (with <disc_emb>'s margin beside, and each checkpoint's
// trace in the table) — "when did the model learn to tell these apart" — and
// below, the distribution of the validation queries' margins per checkpoint
// as box plots. Computed in a cancellable job; export CSV or the figure.

#include <QWidget>

#include <vector>

#include "core/store/RunCheckpoints.h"
#include "views/common/Job.h"
#include "views/runs/CheckpointTimelineJob.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace moon {

class TimelinePanel : public QWidget {
  Q_OBJECT
 public:
  explicit TimelinePanel(QWidget* parent = nullptr);
  ~TimelinePanel() override;

  // The run whose checkpoints to walk (runId 0: none); `dataDir` is its dataset.
  void setRun(qint64 runId, std::vector<RunCheckpoint> checkpoints, const QString& dataDir);
  qint64 runId() const { return runId_; }
  // Starts the job for triplet `index` of `split` (the current run's checkpoints).
  void compute(const QString& split, int index);
  void cancel();
  bool isBusy() const;
  QString messageText() const;
  const std::vector<TimelinePoint>& points() const { return points_; }
  QCustomPlot* plot() const { return plot_; }
  QTreeWidget* table() const { return table_; }

  // By extension: .csv the table, .png/.svg/.pdf the figure.
  bool exportTo(const QString& path, QString* error) const;

 Q_SIGNALS:
  void busyChanged();

 private:
  void onFinished(bool ok);
  void showMessage(const QString& text);
  void draw();
  void fillTable();

  qint64 runId_ = 0;
  std::vector<RunCheckpoint> checkpoints_;
  QString dataDir_;
  JobPtr<CheckpointTimelineJob> job_;
  std::vector<TimelinePoint> points_;

  QComboBox* split_;
  QSpinBox* index_;
  QPushButton* compute_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* message_;
  QCustomPlot* plot_;
  QTreeWidget* table_;
};

}  // namespace moon
