#include "memory_edit_command.h"

#include "memory_controller.h"

namespace memlens::gui {

MemoryEditCommand::MemoryEditCommand(MemoryController* controller, const QString& text)
    : QUndoCommand(text), controller_(controller) {}

void MemoryEditCommand::undo() { controller_->queueStep(MemoryController::Step::kUndo, text()); }

void MemoryEditCommand::redo() { controller_->queueStep(MemoryController::Step::kRedo, text()); }

}  // namespace memlens::gui
