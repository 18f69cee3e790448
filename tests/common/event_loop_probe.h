#pragma once

// Tells whether the GUI thread went back to its event loop while a job was still at work,
// without timing anything: post() (right after starting the job) queues a probe behind every
// event the job has sent so far. A job whose worker reports progress after the probe ran was
// still at work while the event loop turned. A job run on the GUI thread has sent all its reports
// before control returns to the event loop, so none can follow the probe, however fast or busy
// the machine is.
#include <QObject>
#include <QSignalSpy>

#include "common/job_runner.h"

namespace memlens::test {

class EventLoopProbe {
 public:
  explicit EventLoopProbe(views::JobRunner* runner)
      : progress_(runner, &views::JobRunner::progress) {}

  void post() {
    QMetaObject::invokeMethod(
        &context_, [this] { reportsBeforeProbe_ = progress_.count(); }, Qt::QueuedConnection);
  }
  bool probeRan() const { return reportsBeforeProbe_ >= 0; }
  // Progress reports handled after the probe (call once the job has finished).
  qsizetype reportsAfterProbe() const { return progress_.count() - reportsBeforeProbe_; }

 private:
  QObject context_;
  QSignalSpy progress_;
  qsizetype reportsBeforeProbe_ = -1;
};

}  // namespace memlens::test
