#pragma once

#include <QUndoCommand>

namespace memlens::gui {

class MemoryController;

// One edit in the memory, on the undo stack. The memory changes on the controller's job runner,
// so undo() and redo() only queue the step there. The controller pushes a command once its edit
// is committed (or replayed from a project), so that a commit cancelled leaves no command behind;
// that push's redo() queues nothing (MemoryController::queueStep()).
class MemoryEditCommand : public QUndoCommand {
 public:
  MemoryEditCommand(MemoryController* controller, const QString& text);

  void undo() override;
  void redo() override;

 private:
  MemoryController* controller_;
};

}  // namespace memlens::gui
