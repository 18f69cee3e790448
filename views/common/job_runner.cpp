#include "common/job_runner.h"

#include <QThread>
#include <exception>
#include <utility>

namespace memlens::views {

namespace {

Status runCatching(const JobRunner::Work& work, JobControl& control, const QString& title) {
  // Exceptions must not cross the thread boundary (they would terminate the program).
  try {
    return work(control);
  } catch (const std::exception& e) {
    return Status::internal(title.toStdString() + ": unexpected error: " + e.what());
  } catch (...) {
    return Status::internal(title.toStdString() + ": unexpected error of unknown type");
  }
}

}  // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent) {}

JobRunner::~JobRunner() {
  if (thread_) {
    control_->cancel();
    thread_->wait();
  }
}

bool JobRunner::run(const QString& title, Work work) {
  if (thread_) return false;
  title_ = title;
  // The callback runs on the worker; posting to `this` makes the signal fire on the GUI thread.
  // Events posted to a destroyed runner are discarded, so a late report cannot reach a dead one.
  control_ = std::make_unique<JobControl>([this](double fraction, const std::string& stage) {
    QMetaObject::invokeMethod(
        this, [this, fraction, s = QString::fromStdString(stage)] { Q_EMIT progress(fraction, s); },
        Qt::QueuedConnection);
  });
  thread_.reset(QThread::create([this, work = std::move(work), control = control_.get(), title] {
    Status status = runCatching(work, *control, title);
    QMetaObject::invokeMethod(
        this, [this, status = std::move(status)] { onWorkerDone(status); }, Qt::QueuedConnection);
  }));
  thread_->setObjectName(QStringLiteral("memlens job"));
  thread_->start();
  return true;
}

void JobRunner::cancel() {
  if (control_) control_->cancel();
}

void JobRunner::onWorkerDone(const Status& status) {
  // The worker posted this as its last act; wait() only covers the thread's few remaining
  // instructions, and makes everything it wrote visible here.
  thread_->wait();
  thread_.reset();
  control_.reset();
  title_.clear();
  // Progress events were posted before this one, so receivers see them all before finished().
  Q_EMIT finished(status);
}

}  // namespace memlens::views
