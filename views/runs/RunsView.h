#pragma once

// The Runs view (DESIGN.md §5): the workspace's runs in a sortable, filterable
// table kept current by polling the run store (runs started from a shell show
// up too), live charts of the selected runs, the selected run's progress,
// process and log, and actions to start, stop, resume, delete, compare
// configurations and export charts.

#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

#include "core/store/RunRecords.h"
#include "views/common/WorkbenchView.h"
#include "views/runs/NewRunSettings.h"

class QAction;
class QLineEdit;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace moon {

class ChartPanel;
class MetricFeed;
class RunController;
class RunDetailPanel;
class RunStore;
class TimelinePanel;
class ValidationSamplesPanel;
class RunsTableModel;
class TrainProcess;

class RunsView : public WorkbenchView {
  Q_OBJECT
 public:
  explicit RunsView(QWidget* parent = nullptr);
  ~RunsView() override;

  QString id() const override { return QStringLiteral("runs"); }
  QString title() const override { return tr("Runs"); }
  QIcon icon() const override;
  QString summary() const override { return tr("Start, watch, stop and compare training runs"); }
  QList<QAction*> toolBarActions() const override;
  void setWorkspace(const WorkspaceLocation& workspace) override;
  void activated() override;
  void deactivated() override;
  // False while the Timeline tab walks the checkpoints.
  bool isReady() const override;
  // {"tab": "charts" | "traces"}: the tab beside the runs table.
  bool handleRequest(const QVariantMap& request) override;

  // Reads the store now (the timer does it every kPollMs).
  void refresh();
  void selectRuns(const QList<qint64>& runIds);
  QList<qint64> selectedRuns() const;

  // The actions without questions asked (the toolbar's confirm first).
  TrainProcess* launch(const NewRunSettings& settings);
  bool stopRun(qint64 runId, QString* error = nullptr);
  TrainProcess* resumeRun(qint64 runId);
  bool deleteRun(qint64 runId, QString* error = nullptr);

  RunsTableModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  QTableView* table() const { return table_; }
  QLineEdit* filterEdit() const { return filter_; }
  ChartPanel* chartPanel() const { return charts_; }
  ValidationSamplesPanel* samplesPanel() const { return samples_; }
  TimelinePanel* timelinePanel() const { return timeline_; }
  QTabWidget* rightTabs() const { return rightTabs_; }
  RunDetailPanel* detailPanel() const { return detail_; }
  RunController* controller() const { return controller_; }
  MetricFeed* feed() const { return feed_; }

  static constexpr int kPollMs = 500;
  static constexpr int kBackgroundPollMs = 2000;

 private:
  void buildActions();
  void selectionChanged();
  void showDetail();
  void updateActions();
  std::optional<RunRecord> currentRun() const;
  void newRunDialog();
  void stopSelected();
  void resumeSelected();
  void deleteSelected();
  void exportChart();
  void exportSamples();
  void exportTimeline();
  void showTimelineRun(const std::optional<RunRecord>& run);
  // Asks for a file in the workspace's exports folder (starting at `fileName`),
  // runs `write` on it and reports the outcome.
  void exportWithDialog(const QString& title, const QString& fileName, const QString& filters,
                        const std::function<bool(const QString&, QString*)>& write);
  void diffSelected();
  void report(const QString& text, bool error);

  WorkspaceLocation workspace_;
  std::unique_ptr<RunStore> store_;
  bool selectFirst_ = true;
  qint64 pendingSelect_ = 0;  // a launched run to select once its row appears
  RunsTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QLineEdit* filter_;
  ChartPanel* charts_;
  ValidationSamplesPanel* samples_;
  TimelinePanel* timeline_;
  QTabWidget* rightTabs_;
  RunDetailPanel* detail_;
  RunController* controller_;
  MetricFeed* feed_;
  QTimer poll_;
  QAction* newRun_;
  QAction* stop_;
  QAction* resume_;
  QAction* delete_;
  QAction* export_;
  QAction* diff_;
};

}  // namespace moon
