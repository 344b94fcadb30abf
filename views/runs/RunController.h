#pragma once

// Starts, stops, resumes and deletes the runs of one workspace. Runs are
// `moon train` child processes (a crash of one never reaches the GUI); runs
// started elsewhere are stopped through the pid the store records. When a
// child ends without having told the store (it crashed, or failed before its
// trainer could), the controller records the outcome so the table is right.

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include "training/events/TrainEvent.h"
#include "views/common/WorkspaceLocation.h"
#include "views/runs/NewRunSettings.h"
#include "views/runs/TrainProcess.h"

namespace moon {

class RunController : public QObject {
  Q_OBJECT
 public:
  explicit RunController(QObject* parent = nullptr);
  ~RunController() override;

  void setWorkspace(const WorkspaceLocation& workspace) { workspace_ = workspace; }
  const WorkspaceLocation& workspace() const { return workspace_; }

  // `moon` next to the running executable unless set (tests point it elsewhere).
  void setMoonProgram(const QString& program) { program_ = program; }
  QString moonProgram() const;

  // Starts `moon train` for the settings; returns the child (owned here).
  TrainProcess* launch(const NewRunSettings& settings);
  // `moon train --workspace W --resume ID`.
  TrainProcess* resume(qint64 runId);
  // SIGTERM to our child, or to the pid the store records when the run is
  // running on this host. False (and *error) when there is nothing to stop.
  bool stop(qint64 runId, QString* error = nullptr);
  // Store row and runs/<id>/; refuses a running run. False with *error.
  bool remove(qint64 runId, QString* error = nullptr);

  // The child following `runId`, if it was started here.
  TrainProcess* process(qint64 runId) const;
  // Children that have not reported a run id yet or have ended without one.
  QList<TrainProcess*> processes() const;
  bool anyRunning() const;

 Q_SIGNALS:
  void launched(moon::TrainProcess* process);
  void runEvent(qint64 runId, const moon::TrainEvent& event);
  // A child ended; the store has been brought in line with how it ended.
  void runFinished(qint64 runId, int exitCode, bool crashed);
  // A child failed before it created a run (bad arguments, missing program).
  void launchFailed(const QString& message, const QStringList& output);

 private:
  TrainProcess* startProcess(const QStringList& arguments);
  void onFinished(TrainProcess* process, int exitCode, bool crashed);

  WorkspaceLocation workspace_;
  QString program_;
  QList<QPointer<TrainProcess>> processes_;
};

}  // namespace moon
