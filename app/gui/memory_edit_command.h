#pragma once

#include <QUndoCommand>

namespace memlens::gui {

class MemoryController;

// One committed edit on the undo stack. The memory changes on the controller's job runner, so
// undo() and redo() only queue the step there; the first redo() (QUndoStack::push) commits the
// controller's preview, later ones redo the edit. A command for an edit already in the memory
// (replayed from a project) is made `committed`.
class MemoryEditCommand : public QUndoCommand {
 public:
  MemoryEditCommand(MemoryController* controller, const QString& text, bool committed = false);

  void undo() override;
  void redo() override;

 private:
  MemoryController* controller_;
  bool committed_ = false;
};

}  // namespace memlens::gui
