#pragma once

// The Runs view's "Traces & cosines" tab for one run (issue #14): what the
// trainer stored at each validation step besides scalars
// (training/events/ValidationSamples.h).
//   - a group view: a few val queries, each with its G sampled traces side
//     by side, every sample's reward terms, the rank of the positive after it
//     and its group advantage (green above the group mean, red below); a
//     group whose rewards were all equal is marked, since GRPO learns nothing
//     from it;
//   - histograms of the mm->mm queries' cosine to their positive, to their
//     near-duplicate and to every other gallery product, as densities.
// A step picker walks through the validations; new ones are picked up by
// refresh() and followed while the latest is shown. Export: CSV (the groups)
// or PNG/PDF (the histograms).

#include <QWidget>

#include <optional>

#include "training/events/ValidationSamples.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QTreeWidget;

namespace moon {

class RunStore;

class ValidationSamplesPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ValidationSamplesPanel(QWidget* parent = nullptr);

  // The run to show (0: none), read from `store` (not owned; may be null).
  void showRun(qint64 runId, RunStore* store);
  // Re-reads the run's validation steps; follows a new step when the latest was shown.
  void refresh();
  // Shows the samples stored at `step`; false (and a message) when there are none or they do not read.
  bool showStep(qint64 step);

  qint64 runId() const { return runId_; }
  QList<qint64> steps() const { return steps_; }
  std::optional<qint64> shownStep() const;
  const std::optional<ValidationSamples>& samples() const { return samples_; }
  QString messageText() const;
  QTreeWidget* groupTree() const { return groups_; }
  QCustomPlot* histogramPlot() const { return plot_; }

  // By extension: .csv writes the trace groups, .png and .pdf the histograms.
  bool exportTo(const QString& path, QString* error) const;

 private:
  void fillGroups();
  void fillHistograms();
  void clearShown(const QString& message);

  qint64 runId_ = 0;
  RunStore* store_ = nullptr;
  QList<qint64> steps_;
  std::optional<ValidationSamples> samples_;
  QComboBox* stepPicker_;
  QLabel* message_;
  QCustomPlot* plot_;
  QTreeWidget* groups_;
};

}  // namespace moon
