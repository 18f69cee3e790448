#pragma once

#include <QUndoCommand>

namespace memlens::gui {

class MemoryController;

// One committed edit on the undo stack. The memory changes on the controller's job runner, so
// undo() and redo() only queue the step there; the first redo() (QUndoStack::push) commits the
// controller's preview, later ones redo the edit.
class MemoryEditCommand : public QUndoCommand {
 public:
  MemoryEditCommand(MemoryController* controller, const QString& text);

  void undo() override;
  void redo() override;

 private:
  MemoryController* controller_;
  bool committed_ = false;
};

}  // namespace memlens::gui
