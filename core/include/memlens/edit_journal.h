#pragma once

#include "memlens/memory_edit.h"
#include "memlens/status.h"

namespace memlens {

// Where an EditSession records each step as it happens (a project's journal), so that a committed
// edit survives a crash. The session changes the memory first and takes the change back when the
// journal cannot record it.
class EditJournal {
 public:
  virtual ~EditJournal() = default;
  // A committed edit; it ends the redo history.
  virtual Status recordCommit(const MemoryEdit& edit) = 0;
  // The newest edit in effect undone, or the next one to redo done again.
  virtual Status recordUndo() = 0;
  virtual Status recordRedo() = 0;
};

}  // namespace memlens
