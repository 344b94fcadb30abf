#pragma once

#include "views/common/Job.h"
#include "views/common/WorkbenchView.h"

class QAction;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace moon {

class WorkspaceScanJob;
struct RunsSummary;
struct WorkspaceSummary;

// The first page: which workspace is open, the datasets and runs in it, its
// top-level contents, and what the workbench is for.
class OverviewView : public WorkbenchView {
  Q_OBJECT
 public:
  explicit OverviewView(QWidget* parent = nullptr);
  ~OverviewView() override;

  QString id() const override { return QStringLiteral("overview"); }
  QString title() const override { return tr("Overview"); }
  QIcon icon() const override;
  QString summary() const override { return tr("The open workspace: datasets, runs and files"); }
  QList<QAction*> toolBarActions() const override;
  void setWorkspace(const WorkspaceLocation& workspace) override;
  void activated() override;
  bool isReady() const override;

  // Re-reads the workspace folder (on a worker thread).
  void refresh();

 private:
  QWidget* buildWorkspaceCard();
  QWidget* buildDatasetsCard();
  QWidget* buildRunsCard();
  QWidget* buildContentsCard();
  QWidget* buildAboutCard();
  void showSummary(const WorkspaceSummary& summary);
  void showDatasets(bool any);
  void showRuns(const RunsSummary& runs);
  void chooseWorkspace();

  WorkspaceLocation workspace_;
  JobPtr<WorkspaceScanJob> scan_;
  QAction* refresh_;
  QLabel* path_ = nullptr;
  QPushButton* reveal_ = nullptr;
  QLabel* state_ = nullptr;
  QLabel* datasetsEmpty_ = nullptr;
  QTreeWidget* datasets_ = nullptr;
  QLabel* runCount_ = nullptr;
  QLabel* runCaption_ = nullptr;
  QTreeWidget* runs_ = nullptr;
  QLabel* runsHint_ = nullptr;
  QTreeWidget* contents_ = nullptr;
};

}  // namespace moon
