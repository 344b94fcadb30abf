#include "views/runs/RunsView.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/RunStore.h"
#include "views/common/ExportDialog.h"
#include "views/common/Theme.h"
#include "views/common/WorkspaceStore.h"
#include "views/runs/ChartPanel.h"
#include "views/runs/ConfigDiffDialog.h"
#include "views/runs/MetricChart.h"
#include "views/runs/MetricFeed.h"
#include "views/runs/NewRunDialog.h"
#include "views/runs/RunController.h"
#include "views/runs/RunDetailPanel.h"
#include "views/runs/RunsTableModel.h"
#include "views/runs/TimelinePanel.h"
#include "views/runs/TrainProcess.h"
#include "views/runs/ValidationSamplesPanel.h"

namespace moon {

RunsView::RunsView(QWidget* parent) : WorkbenchView(parent) {
  model_ = new RunsTableModel(this);
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setObjectName(QStringLiteral("runsProxy"));
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(RunsTableModel::SortRole);
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  proxy_->setFilterKeyColumn(-1);  // any column: name, status, preset…

  filter_ = new QLineEdit(this);
  filter_->setObjectName(QStringLiteral("runFilter"));
  filter_->setPlaceholderText(tr("Filter runs (name, status, preset)…"));
  filter_->setClearButtonEnabled(true);
  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("runsTable"));
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(RunsTableModel::Started, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(RunsTableModel::Name, QHeaderView::Stretch);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsView::selectionChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RunsView::showDetail);

  charts_ = new ChartPanel(this);
  charts_->setObjectName(QStringLiteral("chartPanel"));
  samples_ = new ValidationSamplesPanel(this);
  samples_->setObjectName(QStringLiteral("samplesPanel"));
  timeline_ = new TimelinePanel(this);
  timeline_->setObjectName(QStringLiteral("timelinePanel"));
  connect(timeline_, &TimelinePanel::busyChanged, this, &RunsView::updateActions);
  detail_ = new RunDetailPanel(this);
  detail_->setObjectName(QStringLiteral("runDetail"));
  controller_ = new RunController(this);
  feed_ = new MetricFeed(this);
  connect(feed_, &MetricFeed::pointsArrived, charts_, &ChartPanel::addPoints);
  connect(feed_, &MetricFeed::runRemoved, charts_, &ChartPanel::removeRun);
  connect(feed_, &MetricFeed::keysChanged, charts_, &ChartPanel::setKeys);
  connect(feed_, &MetricFeed::readFailed, this, [this](const QString& m) { report(m, true); });

  connect(controller_, &RunController::launched, this, [this](TrainProcess* p) {
    connect(p, &TrainProcess::runIdKnown, this, [this](qint64 id) {
      pendingSelect_ = id;
      refresh();
    });
  });
  connect(controller_, &RunController::runEvent, this, [this](qint64 id, const TrainEvent& e) {
    if (id == detail_->runId()) detail_->showTrainEvent(e);
  });
  connect(controller_, &RunController::runFinished, this, [this](qint64 id, int code, bool crashed) {
    refresh();
    if (crashed || code != 0) report(tr("Run %1 ended with an error; see its log.").arg(id), true);
  });
  connect(controller_, &RunController::launchFailed, this, [this](const QString& message, const QStringList& output) {
    RunRecord failed;
    failed.name = tr("New run").toStdString();
    failed.status = RunStatus::Failed;
    failed.message = tr("The run did not start: %1").arg(message).toStdString();
    table_->clearSelection();  // the failed launch, not a run, is what the panel shows now
    detail_->showRun(failed, {}, output);
    report(QString::fromStdString(failed.message), true);
  });

  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->setSpacing(6);
  leftLayout->addWidget(filter_);
  auto* leftSplit = new QSplitter(Qt::Vertical, left);
  leftSplit->addWidget(table_);
  leftSplit->addWidget(detail_);
  leftSplit->setStretchFactor(0, 2);
  leftSplit->setStretchFactor(1, 3);
  leftLayout->addWidget(leftSplit, 1);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->setObjectName(QStringLiteral("runsSplitter"));
  split->addWidget(left);
  rightTabs_ = new QTabWidget(this);
  rightTabs_->setObjectName(QStringLiteral("runsRightTabs"));
  rightTabs_->setDocumentMode(true);
  rightTabs_->addTab(charts_, tr("Charts"));
  rightTabs_->addTab(samples_, tr("Traces && cosines"));
  rightTabs_->setTabToolTip(1, tr("Sampled trace groups with rewards and advantages, and cosine histograms, "
                                  "at each validation of the current run"));
  rightTabs_->addTab(timeline_, tr("Timeline"));
  rightTabs_->setTabToolTip(2, tr("One triplet, and the validation margins, through every saved checkpoint of the "
                                  "current run"));
  connect(rightTabs_, &QTabWidget::currentChanged, this, [this] {
    showDetail();
    updateActions();
  });
  split->addWidget(rightTabs_);
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 3);
  split->setSizes({460, 720});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(10, 8, 10, 8);
  layout->addWidget(split);

  buildActions();
  poll_.setInterval(kBackgroundPollMs);
  connect(&poll_, &QTimer::timeout, this, &RunsView::refresh);
  updateActions();
}

RunsView::~RunsView() = default;

QIcon RunsView::icon() const { return workbenchIcon(QStringLiteral("runs")); }

void RunsView::buildActions() {
  auto make = [this](const QString& icon, const QString& text, const QKeySequence& key, const QString& tip) {
    auto* a = new QAction(workbenchIcon(icon), text, this);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);  // only while the Runs view has focus
    a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    addAction(a);
    return a;
  };
  newRun_ = make(QStringLiteral("run-new"), tr("New Run…"), QKeySequence::New, tr("Start a training run"));
  newRun_->setShortcutContext(Qt::WindowShortcut);
  stop_ = make(QStringLiteral("run-stop"), tr("Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period),
               tr("Stop the selected runs after their current step (resumable)"));
  resume_ = make(QStringLiteral("run-resume"), tr("Resume"), QKeySequence(Qt::CTRL | Qt::Key_R),
                 tr("Continue the selected run from its latest checkpoint"));
  delete_ = make(QStringLiteral("run-delete"), tr("Delete"), QKeySequence::Delete,
                 tr("Delete the selected runs and their files"));
  export_ = make(QStringLiteral("export"), tr("Export Chart…"), QKeySequence(Qt::CTRL | Qt::Key_E),
                 tr("Save the current chart as PNG, SVG or PDF, or its data as CSV (on the Traces tab: the trace "
                    "groups as CSV, the cosine histograms as PNG or PDF)"));
  diff_ = make(QStringLiteral("diff"), tr("Config Diff"), QKeySequence(Qt::CTRL | Qt::Key_D),
               tr("Compare the configurations of two selected runs"));
  connect(newRun_, &QAction::triggered, this, &RunsView::newRunDialog);
  connect(stop_, &QAction::triggered, this, &RunsView::stopSelected);
  connect(resume_, &QAction::triggered, this, &RunsView::resumeSelected);
  connect(delete_, &QAction::triggered, this, &RunsView::deleteSelected);
  connect(export_, &QAction::triggered, this, &RunsView::exportChart);
  connect(diff_, &QAction::triggered, this, &RunsView::diffSelected);
}

QList<QAction*> RunsView::toolBarActions() const { return {newRun_, stop_, resume_, delete_, diff_, export_}; }

void RunsView::setWorkspace(const WorkspaceLocation& workspace) {
  workspace_ = workspace;
  controller_->setWorkspace(workspace);
  store_.reset();
  samples_->showRun(0, nullptr);
  model_->clear();
  selectFirst_ = true;
  feed_->setDatabase(workspace.isNull() ? QString() : workspace.databasePath());
  detail_->showRun(std::nullopt, {});
  refresh();
  if (!workspace_.isNull()) poll_.start();
  updateActions();
}

void RunsView::activated() {
  poll_.setInterval(kPollMs);
  refresh();
}

void RunsView::deactivated() { poll_.setInterval(kBackgroundPollMs); }

void RunsView::refresh() {
  if (workspace_.isNull()) return;
  try {
    if (!store_) {
      if (!workspace_.isWorkspace()) return;
      store_ = openWorkspaceStore(workspace_);
    }
    model_->update(listRunsChecked(*store_));
  } catch (const Error& e) {
    report(tr("The run store could not be read: %1").arg(QString::fromUtf8(e.what())), true);
    store_.reset();
    return;
  }
  // First look at a workspace: show the newest run rather than empty charts.
  if (selectFirst_ && proxy_->rowCount() > 0) {
    selectFirst_ = false;
    if (table_->selectionModel()->selectedRows().isEmpty())
      selectRuns({proxy_->index(0, 0).data(RunsTableModel::RunIdRole).toLongLong()});
  }
  if (pendingSelect_ > 0 && model_->rowOf(pendingSelect_) >= 0) {
    const qint64 id = pendingSelect_;
    pendingSelect_ = 0;
    selectRuns({id});
  }
  for (qint64 id : selectedRuns())
    if (const RunRecord* r = model_->run(id)) charts_->setRunLabel(id, QString::fromStdString(r->name));
  feed_->poll();
  showDetail();
  updateActions();
}

QList<qint64> RunsView::selectedRuns() const {
  QList<qint64> ids;
  for (const QModelIndex& i : table_->selectionModel()->selectedRows())
    ids << i.data(RunsTableModel::RunIdRole).toLongLong();
  return ids;
}

void RunsView::selectRuns(const QList<qint64>& runIds) {
  QItemSelection selection;
  for (qint64 id : runIds) {
    const int row = model_->rowOf(id);
    if (row < 0) continue;
    const QModelIndex i = proxy_->mapFromSource(model_->index(row, 0));
    if (i.isValid()) selection.select(i, i.siblingAtColumn(RunsTableModel::ColumnCount - 1));
  }
  table_->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  if (!selection.isEmpty())
    table_->selectionModel()->setCurrentIndex(selection.indexes().first(), QItemSelectionModel::NoUpdate);
}

void RunsView::selectionChanged() {
  const QList<qint64> ids = selectedRuns();
  for (qint64 id : ids)
    if (const RunRecord* r = model_->run(id)) charts_->setRunLabel(id, QString::fromStdString(r->name));
  feed_->setRuns(QVector<qint64>(ids.begin(), ids.end()));
  feed_->poll();
  showDetail();
  updateActions();
}

std::optional<RunRecord> RunsView::currentRun() const {
  QModelIndex current = table_->selectionModel()->currentIndex();
  if (!current.isValid() || !table_->selectionModel()->isRowSelected(current.row(), current.parent())) {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    if (rows.isEmpty()) return std::nullopt;
    current = rows.first();
  }
  if (const RunRecord* r = model_->run(current.data(RunsTableModel::RunIdRole).toLongLong())) return *r;
  return std::nullopt;
}

void RunsView::showDetail() {
  const std::optional<RunRecord> run = currentRun();
  // The samples tab reads the store only while it is shown.
  if (rightTabs_->currentWidget() == samples_) samples_->showRun(run ? run->id : 0, store_.get());
  if (rightTabs_->currentWidget() == timeline_) showTimelineRun(run);
  if (!run) {
    if (detail_->runId() != 0) detail_->showRun(std::nullopt, {});
    return;
  }
  QStringList output;
  if (TrainProcess* p = controller_->process(run->id); p && p->finished() && (p->exitCode() != 0 || p->crashed()))
    output = p->outputTail();
  const QString runDir =
      run->runDir.empty() ? QStringLiteral("runs/%1").arg(run->id) : QString::fromStdString(run->runDir);
  const QString log = QDir(workspace_.root()).filePath(runDir + QStringLiteral("/train.log"));
  detail_->showRun(run, log, output);
}

void RunsView::updateActions() {
  const QList<qint64> ids = selectedRuns();
  bool anyRunning = false, anyResumable = false, anyFinished = false;
  for (qint64 id : ids) {
    const RunRecord* r = model_->run(id);
    if (!r) continue;
    anyRunning |= r->status == RunStatus::Running;
    anyFinished |= isFinished(r->status);
    anyResumable |=
        r->status == RunStatus::Stopped || r->status == RunStatus::Interrupted || r->status == RunStatus::Failed;
  }
  const bool open = !workspace_.isNull();
  newRun_->setEnabled(open);
  stop_->setEnabled(anyRunning);
  resume_->setEnabled(ids.size() == 1 && anyResumable);
  delete_->setEnabled(anyFinished || (!ids.isEmpty() && !anyRunning));
  diff_->setEnabled(ids.size() == 2);
  const bool onSamples = rightTabs_->currentWidget() == samples_;
  const bool onTimeline = rightTabs_->currentWidget() == timeline_;
  export_->setText(onSamples ? tr("Export Samples…") : onTimeline ? tr("Export Timeline…") : tr("Export Chart…"));
  export_->setEnabled(onSamples    ? samples_->shownStep().has_value()
                      : onTimeline ? !timeline_->points().empty()
                                   : charts_->currentChart() != nullptr);
}

void RunsView::report(const QString& text, bool error) {
  if (error)
    log::app()->warn("{}", text.toStdString());
  else
    log::app()->info("{}", text.toStdString());
  Q_EMIT statusMessage(text, 6000);
}

TrainProcess* RunsView::launch(const NewRunSettings& settings) {
  TrainProcess* p = controller_->launch(settings);
  report(tr("Starting run \"%1\"…").arg(QString::fromStdString(settings.name)), false);
  return p;
}

bool RunsView::stopRun(qint64 runId, QString* error) {
  const bool ok = controller_->stop(runId, error);
  if (ok) report(tr("Stopping run %1 after its current step…").arg(runId), false);
  return ok;
}

TrainProcess* RunsView::resumeRun(qint64 runId) {
  report(tr("Resuming run %1…").arg(runId), false);
  feed_->reload(runId);  // the resumed run re-logs the steps after its checkpoint
  return controller_->resume(runId);
}

bool RunsView::deleteRun(qint64 runId, QString* error) {
  const bool ok = controller_->remove(runId, error);
  if (ok) {
    report(tr("Deleted run %1").arg(runId), false);
    refresh();
  }
  return ok;
}

void RunsView::newRunDialog() {
  if (workspace_.isNull()) return;
  NewRunDialog dialog(workspace_, this);
  if (dialog.exec() == QDialog::Accepted) launch(dialog.settings());
}

void RunsView::stopSelected() {
  for (qint64 id : selectedRuns()) {
    const RunRecord* r = model_->run(id);
    if (!r || r->status != RunStatus::Running) continue;
    QString error;
    if (!stopRun(id, &error)) report(error, true);
  }
}

void RunsView::resumeSelected() {
  const QList<qint64> ids = selectedRuns();
  if (ids.size() == 1) resumeRun(ids.first());
}

void RunsView::deleteSelected() {
  QList<qint64> ids;
  QStringList names;
  for (qint64 id : selectedRuns()) {
    const RunRecord* r = model_->run(id);
    if (!r) continue;
    if (r->status == RunStatus::Running) {
      report(tr("Run %1 is running; stop it before deleting it.").arg(id), true);
      continue;
    }
    ids << id;
    names << QStringLiteral("#%1 %2").arg(id).arg(QString::fromStdString(r->name));
  }
  if (ids.isEmpty()) return;
  const auto answer = QMessageBox::question(
      this, tr("Delete Runs"),
      tr("Delete %1?\n\nIts metrics, checkpoints and log (runs/<id>/) are removed for good.").arg(names.join(", ")),
      QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
  if (answer != QMessageBox::Yes) return;
  for (qint64 id : ids) {
    QString error;
    if (!deleteRun(id, &error)) report(error, true);
  }
}

void RunsView::exportChart() {
  if (rightTabs_->currentWidget() == samples_) return exportSamples();
  if (rightTabs_->currentWidget() == timeline_) return exportTimeline();
  MetricChart* chart = charts_->currentChart();
  if (!chart) return;
  QString base = chart->title().toLower();
  base.replace(QLatin1Char(' '), QLatin1Char('-'));
  exportWithDialog(tr("Export Chart"), base + QStringLiteral(".png"),
                   tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf);;CSV data (*.csv)"),
                   [chart](const QString& path, QString* error) { return chart->exportTo(path, error); });
}

void RunsView::exportWithDialog(const QString& title, const QString& fileName, const QString& filters,
                                const std::function<bool(const QString&, QString*)>& write) {
  const QString path = moon::exportWithDialog(this, workspace_, title, fileName, filters, write);
  if (!path.isEmpty()) report(tr("Exported %1").arg(QDir::toNativeSeparators(path)), false);
}

bool RunsView::isReady() const { return !timeline_->isBusy(); }

bool RunsView::handleRequest(const QVariantMap& request) {
  const QString tab = request.value(QStringLiteral("tab")).toString();
  const QString triplet = request.value(QStringLiteral("triplet")).toString();
  for (const QString& key : request.keys())
    if (key != QLatin1String("tab") && key != QLatin1String("triplet") && key != QLatin1String("run")) return false;
  QWidget* page = tab == QLatin1String("charts")     ? static_cast<QWidget*>(charts_)
                  : tab == QLatin1String("traces")   ? static_cast<QWidget*>(samples_)
                  : tab == QLatin1String("timeline") ? static_cast<QWidget*>(timeline_)
                                                     : nullptr;
  if (!page && !tab.isEmpty()) return false;
  if (request.contains(QStringLiteral("run"))) {
    bool ok = false;
    const qint64 id = request.value(QStringLiteral("run")).toLongLong(&ok);
    if (!ok || !model_->run(id)) return false;
    selectRuns({id});
  }
  if (page) rightTabs_->setCurrentWidget(page);
  if (!triplet.isEmpty()) {
    // "N" or "SPLIT:N" (default split val), walked through the selected run's checkpoints.
    const int colon = triplet.indexOf(QLatin1Char(':'));
    bool ok = false;
    const int index = triplet.mid(colon + 1).toInt(&ok);
    if (!ok || index < 0 || rightTabs_->currentWidget() != timeline_) return false;
    showDetail();
    if (timeline_->runId() == 0) return false;
    timeline_->compute(colon < 0 ? QStringLiteral("val") : triplet.left(colon), index);
  }
  return page || request.contains(QStringLiteral("run"));
}

void RunsView::showTimelineRun(const std::optional<RunRecord>& run) {
  if (!run || !store_) {
    timeline_->setRun(0, {}, {});
    return;
  }
  std::vector<RunCheckpoint> checkpoints;
  try {
    for (RunCheckpoint& c : listCheckpoints(*store_, workspace_.root().toStdString()))
      if (c.runId == run->id) checkpoints.push_back(std::move(c));
  } catch (const Error& e) {
    report(tr("The run store could not be read: %1").arg(QString::fromUtf8(e.what())), true);
  }
  const nlohmann::json config = nlohmann::json::parse(run->configJson, nullptr, false);
  const QString data = config.is_object() ? QString::fromStdString(config.value("data", std::string())) : QString();
  timeline_->setRun(run->id, std::move(checkpoints), data);
}

void RunsView::exportTimeline() {
  exportWithDialog(tr("Export Timeline"), QStringLiteral("run-%1-timeline.csv").arg(timeline_->runId()),
                   tr("CSV table (*.csv);;PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"),
                   [this](const QString& path, QString* error) { return timeline_->exportTo(path, error); });
}

void RunsView::exportSamples() {
  const std::optional<qint64> step = samples_->shownStep();
  if (!step) return;
  exportWithDialog(tr("Export Validation Samples"),
                   QStringLiteral("run-%1-step-%2-trace-groups.csv").arg(samples_->runId()).arg(*step),
                   tr("CSV trace groups (*.csv);;PNG cosine histograms (*.png);;PDF cosine histograms (*.pdf)"),
                   [this](const QString& path, QString* error) { return samples_->exportTo(path, error); });
}

void RunsView::diffSelected() {
  const QList<qint64> ids = selectedRuns();
  if (ids.size() != 2) return;
  const RunRecord* a = model_->run(std::min(ids[0], ids[1]));
  const RunRecord* b = model_->run(std::max(ids[0], ids[1]));
  if (!a || !b) return;
  ConfigDiffDialog dialog(*a, *b, this);
  dialog.exec();
}

}  // namespace moon
