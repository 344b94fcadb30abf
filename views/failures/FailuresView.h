#pragma once

#include <optional>

#include "views/common/Job.h"
#include "views/common/WorkbenchView.h"
#include "views/failures/FailuresJob.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QProgressBar;
class QPushButton;
class QTableView;
class QTextBrowser;

namespace moon {

class CheckpointPicker;
class FailureFilterModel;
class FailureTableModel;
class ThumbnailCache;

// Failures (issue #15 §2): the queries of a checkpoint's evaluation sorted by
// how badly they fail — the positive's rank, the near-duplicate above it, the
// margin — filterable by direction, category and kind of failure, with the
// query's trace and attribute errors in the row. The evaluation is the newest
// one stored for the checkpoint and split (`moon eval` keeps per-query
// results), else one run now in a cancellable job and stored. Opening a row
// loads its triplet into the Compare view.
class FailuresView : public WorkbenchView {
  Q_OBJECT
 public:
  explicit FailuresView(QWidget* parent = nullptr);
  ~FailuresView() override;

  QString id() const override { return QStringLiteral("failures"); }
  QString title() const override { return tr("Failures"); }
  QIcon icon() const override;
  QString summary() const override {
    return tr("The test queries a checkpoint gets most wrong, with their traces and attribute errors");
  }
  QList<QAction*> toolBarActions() const override;
  void setWorkspace(const WorkspaceLocation& workspace) override;
  void activated() override;
  void deactivated() override;
  bool isReady() const override;
  // Keys: "checkpoint" (folder), "split" (default test).
  bool handleRequest(const QVariantMap& request) override;

  // Loads (or evaluates) `checkpoint` on `split`; reevaluate ignores stored evaluations.
  void load(const QString& checkpoint, const QString& split, bool reevaluate = false);
  void cancel();
  QString checkpoint() const { return checkpoint_; }
  QString split() const { return split_; }
  // The error or cancel notice shown instead of the table ("" when none).
  QString message() const;
  std::optional<FailuresSource> source() const { return source_; }
  FailureTableModel* model() const { return model_; }
  FailureFilterModel* filter() const { return filter_; }
  QTableView* table() const { return table_; }
  // Opens the case in the filtered table's row `row` in Compare (openRequested).
  bool openInCompare(int row);
  bool exportCsv(const QString& file, QString* error) const;

 private:
  QWidget* buildTopBar();
  QWidget* buildFilterBar();
  void onCheckpointsListed(bool ok, const QString& error);
  void onFinished(bool ok);
  void showMessage(const QString& text);
  void showSummary();
  void fillCategories();
  void showDetails();
  void updateBusy();
  void exportWithDialog();

  WorkspaceLocation workspace_;
  QString checkpoint_, split_ = QStringLiteral("test");
  bool active_ = false;       // the current view (activated, not yet deactivated)
  bool pendingLoad_ = false;  // a load waits for the view to be shown
  JobPtr<FailuresJob> job_;
  std::optional<FailuresSource> source_;
  std::size_t mismatched_ = 0;

  ThumbnailCache* thumbnails_;
  FailureTableModel* model_;
  FailureFilterModel* filter_;
  CheckpointPicker* checkpoints_;
  QComboBox* splits_;
  QPushButton* reevaluate_;
  QPushButton* cancel_;
  QProgressBar* progress_;
  QLabel* summary_;
  QLabel* message_;
  QComboBox* direction_;
  QComboBox* category_;
  QComboBox* kind_;
  QLineEdit* search_;
  QTableView* table_;
  QTextBrowser* details_;
  QPushButton* openCompare_;
  QAction* exportAction_;
  QAction* openAction_;
};

}  // namespace moon
