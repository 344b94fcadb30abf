#include "views/runs/RunDetailPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

#include "training/events/TrainEvent.h"
#include "views/common/Theme.h"
#include "views/runs/LogTail.h"
#include "views/runs/RunsTableModel.h"
#include "views/runs/SystemPanel.h"

namespace moon {

RunDetailPanel::RunDetailPanel(QWidget* parent) : QWidget(parent) {
  title_ = new QLabel(this);
  title_->setObjectName(QStringLiteral("cardTitle"));
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("runStatus"));
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("runMessage"));
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("runProgress"));
  progress_->setTextVisible(true);
  rate_ = new QLabel(this);
  rate_->setObjectName(QStringLiteral("runRate"));
  system_ = new SystemPanel(this);
  log_ = new LogTail(this);
  log_->setObjectName(QStringLiteral("runLog"));

  auto* head = new QHBoxLayout;
  head->addWidget(title_, 1);
  head->addWidget(status_);
  auto* progressRow = new QHBoxLayout;
  progressRow->addWidget(progress_, 1);
  progressRow->addWidget(rate_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->setSpacing(6);
  layout->addLayout(head);
  layout->addWidget(message_);
  layout->addLayout(progressRow);
  layout->addWidget(system_);
  layout->addWidget(log_, 1);
  showRun(std::nullopt, {});
}

void RunDetailPanel::showRun(const std::optional<RunRecord>& run, const QString& logPath,
                             const QStringList& processOutput) {
  if (!run || !run_ || run->id != run_->id) {
    samplesPerS_ = -1;
    etaS_ = -1;
  }
  run_ = run;
  if (!run_) {
    title_->setText(tr("No run selected"));
    status_->clear();
    message_->setText(tr("Select a run in the table, or start one with New Run (Ctrl+N)."));
    message_->setStyleSheet({});
    system_->setProcess(0);
    log_->follow({});
    updateProgress();
    return;
  }
  title_->setText(
      QStringLiteral("%1  <span style='color:%4'>#%2 · %3</span>")
          .arg(QString::fromStdString(run_->name).toHtmlEscaped())
          .arg(run_->id)
          .arg(QString::fromStdString(run_->device.empty() ? run_->preset : run_->preset + " · " + run_->device)
                   .toHtmlEscaped())
          .arg(QLatin1String(themeColour::kMuted)));
  status_->setText(QString::fromLatin1(runStatusName(run_->status)));
  status_->setStyleSheet(QStringLiteral("font-weight: 600; color: %1").arg(runStatusColour(run_->status).name()));
  const bool bad = run_->status == RunStatus::Failed || run_->status == RunStatus::Interrupted;
  message_->setText(QString::fromStdString(run_->message));
  message_->setVisible(!run_->message.empty());
  message_->setStyleSheet(bad ? QStringLiteral("color: %1").arg(themeColour::kBad) : QString());
  const bool running = run_->status == RunStatus::Running;
  system_->setProcess(running ? run_->pid : 0);
  log_->follow(logPath, processOutput);
  updateProgress();
}

void RunDetailPanel::showTrainEvent(const TrainEvent& event) {
  if (event.kind != TrainEventKind::Step) return;
  samplesPerS_ = event.number(event_key::kSamplesPerS, -1);
  etaS_ = event.number(event_key::kEtaS, -1);
  if (run_) {
    run_->stepsDone = std::max(run_->stepsDone, event.step);
    const double total = event.number(event_key::kTotalSteps, -1);
    if (total > 0) run_->stepsTotal = static_cast<int64_t>(total);
  }
  updateProgress();
}

void RunDetailPanel::updateProgress() {
  if (!run_) {
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(QString());
    rate_->clear();
    return;
  }
  const qint64 total = std::max<int64_t>(run_->stepsTotal, 1);
  progress_->setRange(0, int(std::min<qint64>(total, INT_MAX)));
  progress_->setValue(int(std::min<qint64>(run_->stepsDone, total)));
  progress_->setFormat(tr("step %1 of %2 (%p%)").arg(run_->stepsDone).arg(run_->stepsTotal));

  QStringList parts;
  const bool running = run_->status == RunStatus::Running;
  double eta = etaS_;
  // Without live events (a run started elsewhere): the mean pace so far.
  if (running && eta < 0 && run_->startedAt && run_->heartbeatAt && run_->stepsDone > 0) {
    const double perStep = (*run_->heartbeatAt - *run_->startedAt) / double(run_->stepsDone);
    eta = perStep * double(run_->stepsTotal - run_->stepsDone);
  }
  if (running && eta >= 0) parts << tr("ETA %1").arg(formatDuration(eta));
  if (running && samplesPerS_ >= 0) parts << tr("%1 samples/s").arg(samplesPerS_, 0, 'f', 1);
  rate_->setText(parts.join(QStringLiteral(" · ")));
}

QString RunDetailPanel::statusText() const { return status_->text(); }
QString RunDetailPanel::messageText() const { return message_->text(); }
QString RunDetailPanel::progressText() const { return progress_->text() + QLatin1Char(' ') + rate_->text(); }

}  // namespace moon
