#pragma once

// A long job in the shape of QGIS's QgsTask: run() works on a worker thread,
// reports progress and polls isCanceled(); progressChanged() and finished()
// arrive on the thread that owns the job (the GUI thread).
//
//   class EmbedGalleryJob : public Job { bool run() override { ...; setProgress(p); ... } };
//   JobPtr<EmbedGalleryJob> job = makeJob<EmbedGalleryJob>(args...);
//   connect(job.get(), &Job::finished, this, [this](bool ok) { ... });
//   job->start();
//
// Ownership: a job is destroyed through JobPtr, whose deleter cancels it and
// waits for run() to return *before* the subclass is destroyed, so an owner
// that drops its JobPtr in its destructor never leaves a worker touching freed
// members. Jobs therefore take no QObject parent.

#include <QObject>
#include <QString>

#include <atomic>
#include <climits>
#include <memory>
#include <utility>

class QThread;

namespace moon {

class Job : public QObject {
  Q_OBJECT
 public:
  enum class Status { Idle, Running, Succeeded, Failed, Canceled };

  explicit Job(QString description);
  ~Job() override;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  QString description() const { return description_; }

  // Starts run() on a new worker thread. Call once, from the owning thread.
  void start();

  // Any thread. run() sees it through isCanceled(); finished(false) follows.
  void cancel();
  bool isCanceled() const { return canceled_.load(); }

  // Any thread: the last value passed to setProgress, in [0, 100].
  double progress() const { return progress_.load(); }

  // Owning thread. Running from start() until finished() has been emitted.
  Status status() const { return status_; }
  bool isRunning() const { return status_ == Status::Running; }

  // Owning thread, after finished(false): why the job failed (an exception's
  // message or what run() passed to setErrorMessage). Empty when canceled.
  QString errorMessage() const { return error_; }

  // Blocks until run() has returned (finished() is still delivered later,
  // through the event loop). True if the worker is done within `ms`.
  bool wait(unsigned long ms = ULONG_MAX);

 Q_SIGNALS:
  // Collapsed: a burst of setProgress calls yields one signal with the latest value.
  void progressChanged(double percent);
  // Once per start(); ok is false when run() returned false, threw, or was canceled.
  void finished(bool ok);

 protected:
  // Worker thread. Return false (or throw) on failure; check isCanceled() often.
  virtual bool run() = 0;

  // Worker thread.
  void setProgress(double percent);
  // The flag isCanceled() reads, for library code that polls a
  // std::atomic<bool> itself (EvaluatorOptions::cancel and the like).
  const std::atomic<bool>* cancelFlag() const { return &canceled_; }
  void setErrorMessage(const QString& message);

 private:
  void work();             // worker thread: calls run(), catches what it throws
  void deliverFinished();  // owning thread

  const QString description_;
  std::unique_ptr<QThread> thread_;
  Status status_ = Status::Idle;  // owning thread only
  std::atomic<bool> canceled_{false};
  std::atomic<double> progress_{0.0};
  std::atomic<bool> progressPosted_{false};
  // Written by the worker before its thread ends, read by the owner after the
  // thread's finished signal: the thread join orders the two.
  bool ok_ = false;
  QString error_;
};

struct JobDeleter {
  void operator()(Job* job) const;
};

template <class J>
using JobPtr = std::unique_ptr<J, JobDeleter>;

template <class J, class... Args>
JobPtr<J> makeJob(Args&&... args) {
  return JobPtr<J>(new J(std::forward<Args>(args)...));
}

}  // namespace moon
