#include "memory_edit_command.h"

#include "memory_controller.h"

namespace memlens::gui {

MemoryEditCommand::MemoryEditCommand(MemoryController* controller, const QString& text,
                                     bool committed)
    : QUndoCommand(text), controller_(controller), committed_(committed) {}

void MemoryEditCommand::undo() { controller_->queueStep(MemoryController::Step::kUndo, text()); }

void MemoryEditCommand::redo() {
  controller_->queueStep(
      committed_ ? MemoryController::Step::kRedo : MemoryController::Step::kCommit, text());
  committed_ = true;
}

}  // namespace memlens::gui
