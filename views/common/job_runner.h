#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <memory>

#include "memlens/job_control.h"
#include "memlens/status.h"

class QThread;

// Lets memlens::Status travel through queued signals and QSignalSpy.
Q_DECLARE_METATYPE(memlens::Status)

namespace memlens::views {

// The GUI's one job runner: runs a piece of core work on a worker thread, so the GUI thread never
// blocks. Progress and the final Status come back as signals emitted on the thread that owns the
// runner (the GUI thread), so every receiver may touch widgets, however it is connected.
//
// One job at a time: run() refuses a second job until finished() of the first has been emitted.
// Results are not carried by the runner: the caller's work lambda captures a shared_ptr it fills
// on the worker, and the caller reads it in its finished() handler (the worker has ended by then).
//
// A work function's exceptions never leave the worker: they become Status::internal().
// Destroying the runner while a job runs cancels the job and waits for it.
class JobRunner : public QObject {
  Q_OBJECT

 public:
  using Work = std::function<Status(JobControl&)>;

  explicit JobRunner(QObject* parent = nullptr);
  ~JobRunner() override;

  // Starts `work` on a new worker thread. Returns false (and does nothing) while a job runs.
  bool run(const QString& title, Work work);
  bool isRunning() const { return thread_ != nullptr; }
  // The title passed to run() for the running job; empty when idle.
  const QString& title() const { return title_; }

 public Q_SLOTS:
  // Asks the running job to stop; it sees the flag at its next poll and returns cancelled.
  void cancel();

 Q_SIGNALS:
  void progress(double fraction, const QString& stage);
  void finished(const memlens::Status& status);

 private:
  void onWorkerDone(const Status& status);

  std::unique_ptr<QThread> thread_;
  std::unique_ptr<JobControl> control_;
  QString title_;
};

}  // namespace memlens::views
