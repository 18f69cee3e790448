#pragma once

#include <cstdint>
#include <vector>

#include "memlens/edit_journal.h"
#include "memlens/memory_edit.h"
#include "memlens/project_store.h"

namespace memlens {

// A project's edit journal as a memory replays and extends it. read() parses the store's journal
// into what EditedMemory::create takes and remembers the entries' seqs, so that each later commit,
// undo and redo of that memory is marked in the store the same way. The store must outlive the
// journal. Not thread-safe: use it and its store from one thread at a time.
class ProjectJournal : public EditJournal {
 public:
  struct Edits {
    std::vector<MemoryEdit> active;  // in effect, oldest first
    std::vector<MemoryEdit> undone;  // the redo history: the last one is redone first
  };

  explicit ProjectJournal(ProjectStore* store) : store_(store) {}

  Result<Edits> read();
  Status recordCommit(const MemoryEdit& edit) override;
  Status recordUndo() override { return recordStep(true); }
  Status recordRedo() override { return recordStep(false); }

 private:
  Status recordStep(bool undo);

  ProjectStore* store_;
  std::vector<int64_t> activeSeqs_, undoneSeqs_;  // parallel to Edits::active / Edits::undone
};

}  // namespace memlens
