#pragma once

// One `moon train` child process followed through its stdout: every JSON
// line becomes a TrainEvent; anything else (and all of stderr) is kept as the
// last lines of output, shown when the run fails. The child's run id is known
// from its "started" event.

#include <QObject>
#include <QProcess>
#include <QStringList>

#include "training/events/TrainEvent.h"

Q_DECLARE_METATYPE(moon::TrainEvent)

namespace moon {

class TrainProcess : public QObject {
  Q_OBJECT
 public:
  static constexpr int kTailLines = 200;

  TrainProcess(const QString& program, const QStringList& arguments, QObject* parent = nullptr);
  ~TrainProcess() override;

  void start();
  // SIGTERM: the trainer finishes its step, checkpoints and exits as "stopped".
  void stop();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  qint64 pid() const { return process_.processId(); }
  qint64 runId() const { return runId_; }
  QString program() const { return process_.program(); }
  QStringList arguments() const { return process_.arguments(); }
  // stderr and non-event stdout lines, oldest first (at most kTailLines).
  const QStringList& outputTail() const { return tail_; }
  const TrainEvent* lastEvent() const { return haveLast_ ? &last_ : nullptr; }
  bool finished() const { return finished_; }
  int exitCode() const { return exitCode_; }
  bool crashed() const { return crashed_; }

 Q_SIGNALS:
  void runIdKnown(qint64 runId);
  void eventReceived(const moon::TrainEvent& event);
  void outputLine(const QString& line);
  // crashed: killed by a signal or could not start.
  void processFinished(int exitCode, bool crashed);

 private:
  void readStdout();
  void readStderr();
  void keep(const QString& line);
  void onFinished(int exitCode, QProcess::ExitStatus status);
  void onError(QProcess::ProcessError error);

  QProcess process_;
  qint64 runId_ = 0;
  QStringList tail_;
  TrainEvent last_;
  bool haveLast_ = false;
  bool finished_ = false;
  bool crashed_ = false;
  int exitCode_ = 0;
};

}  // namespace moon
