// The Memory tab's neighbour-use census of the memory on screen, on a runner of its own (see
// MemoryController).
#include <memory>
#include <utility>

#include "common/job_runner.h"
#include "memlens/usage_census.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"

namespace memlens::gui {

void MemoryController::showSnapshot(std::shared_ptr<const views::MemorySnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  page_->setSnapshot(snapshot_);
  censusRunner_->cancel();  // of an older memory: onCounted() starts this one's
  countUsage();
}

// Over the first kProbeTokens validation tokens, where the memory votes with neighbours (not
// IGTree).
void MemoryController::countUsage() {
  if (snapshot_->experiment->record().options.classifier.algorithm == Algorithm::kIgTree ||
      !snapshot_->usage.empty() || censusRunner_->isRunning())
    return;
  auto counted = std::make_shared<views::MemorySnapshot>(*snapshot_);
  counted_ = counted;
  censusRunner_->run(tr("counting neighbour use"), [counted](JobControl& job) -> Status {
    // Only these tokens are copied out of a memory file's validation part.
    const InstanceSet validation = counted->experiment->validationPrefix(kProbeTokens);
    const size_t tokens = validation.size();
    if (tokens == 0) return Status::notFound("no validation tokens to count over");
    auto census = usageCensus(counted->experiment->classifier(), validation, &job);
    if (!census) return census.status();
    *counted = counted->withUsage(std::move(*census), tokens);
    return Status::ok();
  });
}

void MemoryController::onCounted(const Status& status) {
  const std::shared_ptr<views::MemorySnapshot> counted = std::move(counted_);
  if (!snapshot_) return;
  // Counted for the latest memory (perhaps before the window handed it with its evaluation)?
  if (&counted->memory() != &snapshot_->memory()) return countUsage();
  if (!status) return;  // the table shows no Used column
  snapshot_ = std::make_shared<const views::MemorySnapshot>(
      snapshot_->withUsage(std::move(counted->usage), counted->usageTokens));
  page_->setSnapshot(snapshot_);
  Q_EMIT usageCounted();
}

}  // namespace memlens::gui
