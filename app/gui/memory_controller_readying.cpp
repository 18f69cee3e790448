// The Memory tab's readying of the count-threshold drag in the background after a step (see
// MemoryController).
#include <functional>
#include <utility>

#include "common/job_runner.h"
#include "memory_controller.h"
#include "memory_controller_pending.h"

namespace memlens::gui {

bool MemoryController::isReadying() const {
  return runner_->isRunning() && pending_ && pending_->kind == Pending::Kind::kReady &&
         !afterReadying_;
}

bool MemoryController::dragMasks() const { return session_ && dragMasks_; }

void MemoryController::startReadying() {
  if (!readyWanted_ || dragReadied_ || !session_ || runner_->isRunning() || !steps_.empty() ||
      !dragMasks())
    return;
  auto pending = std::make_shared<Pending>();
  pending->kind = Pending::Kind::kReady;
  start(std::move(pending), readyingWork(), true);
}

QString MemoryController::readyingWork(const QString& progress) const {
  const QString then = pruneQueued_ ? tr("the stop is previewed once it is ready")
                                    : tr("edits stay available, and the drag may be used once "
                                         "it is ready");
  return progress.isEmpty()
             ? tr("Readying the count-threshold drag in the background; %1.").arg(then)
             : tr("Readying the count-threshold drag in the background (%1); %2.")
                   .arg(progress, then);
}

bool MemoryController::afterReadying(std::function<void()> action, bool cancel) {
  if (!isReadying()) return false;
  afterReadying_ = std::move(action);
  if (cancel) runner_->cancel();
  // The page waits now, as for any job of its own.
  page_->setBusy(true, !cancel);
  page_->showWork(cancel ? tr("Stopping the readying of the count-threshold drag first…")
                         : tr("Waiting for the count-threshold drag to be readied first…"));
  updateActions();
  return true;
}

// The background readying ended: readied, cancelled (by the user, or for what waits on it: the
// memory is as it was, and it resumes after that) or failed.
void MemoryController::onReadied(const Pending& pending, const Status& status, bool current) {
  const std::function<void()> next = std::exchange(afterReadying_, nullptr);
  const bool superseded = status.isCancelled() && (next || prepareQueued_);
  if (status.isOk() && current && pending.session == session_) dragReadied_ = true;
  if (!superseded) {
    readyWanted_ = false;
    page_->showWork(status.isOk() ? tr("The count-threshold drag is ready: its stops mask the "
                                       "memory as it stands.")
                    : status.isCancelled()
                        ? tr("Readying cancelled: the first count-threshold stop readies the "
                             "drag.")
                        : tr("Readying the count-threshold drag failed: %1")
                              .arg(QString::fromStdString(status.message())));
  }
  updateActions();
  if (!superseded) Q_EMIT readyingEnded();
  if (prepareQueued_) {
    setExperiment(trained_, project_);
    return;
  }
  if (!steps_.empty()) {
    pruneQueued_.reset();  // asked of the memory before the steps
    startNext();
    return;
  }
  if (next) {
    next();
    return;
  }
  if (pruneQueued_) {
    const PruneOptions options = *pruneQueued_;
    pruneQueued_.reset();
    previewPrune(options);
  }
}

}  // namespace memlens::gui
