#include "views/runs/TrainProcess.h"

#include <csignal>

namespace moon {

TrainProcess::TrainProcess(const QString& program, const QStringList& arguments, QObject* parent) : QObject(parent) {
  qRegisterMetaType<moon::TrainEvent>();
  process_.setProgram(program);
  process_.setArguments(arguments);
  connect(&process_, &QProcess::readyReadStandardOutput, this, &TrainProcess::readStdout);
  connect(&process_, &QProcess::readyReadStandardError, this, &TrainProcess::readStderr);
  connect(&process_, &QProcess::finished, this, &TrainProcess::onFinished);
  connect(&process_, &QProcess::errorOccurred, this, &TrainProcess::onError);
}

TrainProcess::~TrainProcess() {
  // The GUI closing must not kill a run: ask it to stop gracefully and wait
  // a little; a run that outlives us is still in the store (stopped or, at
  // worst, interrupted and resumable).
  if (process_.state() != QProcess::NotRunning) {
    disconnect(&process_, nullptr, this, nullptr);
    stop();
    process_.waitForFinished(5000);
  }
}

void TrainProcess::start() { process_.start(QIODevice::ReadOnly); }

void TrainProcess::stop() {
  const qint64 p = process_.processId();
  if (p > 0) ::kill(static_cast<pid_t>(p), SIGTERM);
}

void TrainProcess::keep(const QString& line) {
  tail_ << line;
  if (tail_.size() > kTailLines) tail_.erase(tail_.begin(), tail_.begin() + (tail_.size() - kTailLines));
  Q_EMIT outputLine(line);
}

void TrainProcess::readStdout() {
  while (process_.canReadLine()) {
    const QByteArray raw = process_.readLine();
    const ParsedTrainEvent parsed = parseTrainEvent(raw.toStdString());
    if (!parsed.ok()) {
      const QString line = QString::fromUtf8(raw).trimmed();
      if (!line.isEmpty()) keep(line);
      continue;
    }
    last_ = *parsed.event;
    haveLast_ = true;
    if (last_.kind == TrainEventKind::Started && runId_ == 0) {
      bool ok = false;
      const qint64 id = QString::fromStdString(last_.text(event_key::kRunId)).toLongLong(&ok);
      if (ok && id > 0) {
        runId_ = id;
        Q_EMIT runIdKnown(id);
      }
    }
    Q_EMIT eventReceived(last_);
  }
}

void TrainProcess::readStderr() {
  process_.setReadChannel(QProcess::StandardError);
  while (process_.canReadLine()) {
    const QString line = QString::fromUtf8(process_.readLine()).trimmed();
    if (!line.isEmpty()) keep(line);
  }
  process_.setReadChannel(QProcess::StandardOutput);
}

void TrainProcess::onFinished(int exitCode, QProcess::ExitStatus status) {
  if (finished_) return;
  // What is left without a trailing newline.
  readStdout();
  const QString restOut = QString::fromUtf8(process_.readAllStandardOutput()).trimmed();
  if (!restOut.isEmpty()) keep(restOut);
  readStderr();
  const QString restErr = QString::fromUtf8(process_.readAllStandardError()).trimmed();
  if (!restErr.isEmpty()) keep(restErr);
  finished_ = true;
  exitCode_ = exitCode;
  crashed_ = status == QProcess::CrashExit;
  Q_EMIT processFinished(exitCode_, crashed_);
}

void TrainProcess::onError(QProcess::ProcessError error) {
  if (error != QProcess::FailedToStart || finished_) return;
  keep(tr("could not start %1: %2").arg(process_.program(), process_.errorString()));
  finished_ = true;
  exitCode_ = -1;
  crashed_ = true;
  Q_EMIT processFinished(exitCode_, crashed_);
}

}  // namespace moon
