#include "views/runs/RunController.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <csignal>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/store/Workspace.h"
#include "core/system/ProcessStats.h"
#include "views/common/WorkspaceStore.h"
#include "views/runs/TrainProcess.h"

namespace moon {
namespace {

QStringList toQt(const std::vector<std::string>& v) {
  QStringList out;
  for (const auto& s : v) out << QString::fromStdString(s);
  return out;
}

QString lastLines(const QStringList& lines, int n) {
  return lines.mid(std::max<qsizetype>(0, lines.size() - n)).join(QLatin1Char('\n'));
}

}  // namespace

RunController::RunController(QObject* parent) : QObject(parent) {}

RunController::~RunController() = default;  // children (QObject) stop in their destructors

QString RunController::moonProgram() const {
  if (!program_.isEmpty()) return program_;
  return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("moon"));
}

TrainProcess* RunController::startProcess(const QStringList& arguments) {
  auto* p = new TrainProcess(moonProgram(), arguments, this);
  processes_ << p;
  connect(p, &TrainProcess::eventReceived, this, [this, p](const TrainEvent& e) {
    if (p->runId() > 0) Q_EMIT runEvent(p->runId(), e);
  });
  connect(p, &TrainProcess::processFinished, this,
          [this, p](int exitCode, bool crashed) { onFinished(p, exitCode, crashed); });
  log::app()->info("starting {} {}", moonProgram().toStdString(), arguments.join(QLatin1Char(' ')).toStdString());
  p->start();
  Q_EMIT launched(p);
  return p;
}

TrainProcess* RunController::launch(const NewRunSettings& settings) {
  return startProcess(toQt(settings.trainArguments(workspace_.root().toStdString())));
}

TrainProcess* RunController::resume(qint64 runId) {
  return startProcess({QStringLiteral("train"), QStringLiteral("--workspace"), workspace_.root(),
                       QStringLiteral("--resume"), QString::number(runId)});
}

TrainProcess* RunController::process(qint64 runId) const {
  // The newest child for the run (a resumed run has had several).
  for (auto it = processes_.rbegin(); it != processes_.rend(); ++it)
    if (*it && (*it)->runId() == runId) return *it;
  return nullptr;
}

QList<TrainProcess*> RunController::processes() const {
  QList<TrainProcess*> out;
  for (const auto& p : processes_)
    if (p) out << p;
  return out;
}

bool RunController::anyRunning() const {
  for (const auto& p : processes_)
    if (p && p->isRunning()) return true;
  return false;
}

bool RunController::stop(qint64 runId, QString* error) {
  if (TrainProcess* p = process(runId); p && p->isRunning()) {
    p->stop();
    return true;
  }
  try {
    const auto store = openWorkspaceStore(workspace_);
    const auto run = store->run(runId);
    if (!run || run->status != RunStatus::Running) {
      if (error) *error = tr("run %1 is not running").arg(runId);
      return false;
    }
    if (run->host != RunStore::thisHost()) {
      if (error) *error = tr("run %1 runs on %2; stop it there").arg(runId).arg(QString::fromStdString(run->host));
      return false;
    }
    if (!processAlive(run->pid) || ::kill(static_cast<pid_t>(run->pid), SIGTERM) != 0) {
      if (error) *error = tr("run %1: its process %2 no longer exists").arg(runId).arg(run->pid);
      return false;
    }
    return true;
  } catch (const Error& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

bool RunController::remove(qint64 runId, QString* error) {
  if (TrainProcess* p = process(runId); p && p->isRunning()) {
    if (error) *error = tr("run %1 is running; stop it first").arg(runId);
    return false;
  }
  try {
    Workspace ws = Workspace::open(workspace_.root().toStdString());
    if (const auto run = ws.store().run(runId); run && run->status == RunStatus::Running) {
      if (error) *error = tr("run %1 is running; stop it first").arg(runId);
      return false;
    }
    if (!ws.deleteRun(runId)) {
      if (error) *error = tr("there is no run %1").arg(runId);
      return false;
    }
    return true;
  } catch (const Error& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void RunController::onFinished(TrainProcess* p, int exitCode, bool crashed) {
  const qint64 runId = p->runId();
  if (runId <= 0) {
    if (exitCode != 0 || crashed) {
      const QString message =
          p->outputTail().isEmpty() ? tr("moon train exited with code %1").arg(exitCode) : p->outputTail().constLast();
      log::app()->error("run did not start: {}", message.toStdString());
      Q_EMIT launchFailed(message, p->outputTail());
    }
    return;
  }
  // A trainer that ends normally has recorded its status; one that crashed,
  // was killed or failed outside the training loop has not.
  try {
    const auto store = openWorkspaceStore(workspace_);
    const auto run = store->run(runId);
    if (run && !isFinished(run->status)) {
      const QString tail = lastLines(p->outputTail(), 3);
      if (crashed) {
        store->setStatus(
            runId, RunStatus::Interrupted,
            tr("the training process was killed").toStdString() + (tail.isEmpty() ? "" : ": " + tail.toStdString()));
      } else {
        store->setStatus(
            runId, exitCode == 0 ? RunStatus::Stopped : RunStatus::Failed,
            tail.isEmpty() ? tr("moon train exited with code %1").arg(exitCode).toStdString() : tail.toStdString());
      }
    }
  } catch (const Error& e) {
    log::app()->warn("run {}: could not record how its process ended: {}", runId, e.what());
  }
  Q_EMIT runFinished(runId, exitCode, crashed);
}

}  // namespace moon
