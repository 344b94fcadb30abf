#pragma once

// What the Runs view shows about the selected run: name and status, the
// error of a failed run, progress with ETA and samples/s, the training
// process's CPU/memory and the GPUs, and the tail of its log.

#include <QWidget>

#include <optional>

#include "core/store/RunRecords.h"

class QLabel;
class QProgressBar;

namespace moon {

class LogTail;
class SystemPanel;
struct TrainEvent;

class RunDetailPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunDetailPanel(QWidget* parent = nullptr);

  // The run to show (nullopt: none selected); `logPath` is its train.log.
  // `processOutput`: what our child printed besides events (shown under the log).
  void showRun(const std::optional<RunRecord>& run, const QString& logPath, const QStringList& processOutput = {});
  // A live event of the shown run (step events carry samples/s and the ETA).
  void showTrainEvent(const TrainEvent& event);

  qint64 runId() const { return run_ ? run_->id : 0; }
  QString statusText() const;
  QString messageText() const;
  QString progressText() const;
  LogTail* logTail() const { return log_; }
  SystemPanel* systemPanel() const { return system_; }

 private:
  void updateProgress();

  std::optional<RunRecord> run_;
  double samplesPerS_ = -1;
  double etaS_ = -1;
  QLabel* title_;
  QLabel* status_;
  QLabel* message_;
  QProgressBar* progress_;
  QLabel* rate_;
  SystemPanel* system_;
  LogTail* log_;
};

}  // namespace moon
