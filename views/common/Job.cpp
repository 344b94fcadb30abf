#include "views/common/Job.h"

#include <QDeadlineTimer>
#include <QThread>

#include <algorithm>
#include <cassert>
#include <exception>

#include "core/base/Logging.h"

namespace moon {

Job::Job(QString description) : description_(std::move(description)) {}

Job::~Job() {
  // JobDeleter has already waited; this is the safety net for a job deleted
  // another way (the subclass part is gone by now, so run() must be over).
  assert(!thread_ || thread_->isFinished());
  if (thread_) {
    cancel();
    thread_->wait();
  }
}

void Job::start() {
  assert(status_ == Status::Idle && "a Job runs once");
  status_ = Status::Running;
  thread_.reset(QThread::create([this] { work(); }));
  thread_->setObjectName(description_);
  // QThread::finished is emitted from the worker; the connection to `this`
  // (which lives on the owning thread) is therefore queued.
  connect(thread_.get(), &QThread::finished, this, &Job::deliverFinished);
  thread_->start();
}

void Job::cancel() {
  canceled_.store(true);
  if (thread_) thread_->requestInterruption();
}

bool Job::wait(unsigned long ms) {
  return !thread_ || thread_->wait(QDeadlineTimer(ms == ULONG_MAX ? -1 : qint64(ms)));
}

void Job::setProgress(double percent) {
  progress_.store(std::clamp(percent, 0.0, 100.0));
  if (progressPosted_.exchange(true)) return;  // one queued update already carries the latest value
  QMetaObject::invokeMethod(
      this,
      [this] {
        progressPosted_.store(false);
        Q_EMIT progressChanged(progress_.load());
      },
      Qt::QueuedConnection);
}

void Job::setErrorMessage(const QString& message) { error_ = message; }

void Job::work() {
  try {
    ok_ = run();
  } catch (const std::exception& e) {
    ok_ = false;
    error_ = QString::fromUtf8(e.what());
  }
  if (!ok_ && !isCanceled() && !error_.isEmpty())
    log::views()->warn("{}: {}", description_.toStdString(), error_.toStdString());
}

void Job::deliverFinished() {
  const bool ok = ok_ && !isCanceled();
  status_ = ok ? Status::Succeeded : (isCanceled() ? Status::Canceled : Status::Failed);
  if (isCanceled()) error_.clear();
  Q_EMIT finished(ok);
}

void JobDeleter::operator()(Job* job) const {
  if (!job) return;
  job->cancel();
  job->wait();
  delete job;
}

}  // namespace moon
