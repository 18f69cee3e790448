#include "memlens/project_journal.h"

#include <algorithm>

namespace memlens {

Result<ProjectJournal::Edits> ProjectJournal::read() {
  auto journal = store_->journal();
  if (!journal) return journal.status();
  Edits edits;
  activeSeqs_.clear();
  undoneSeqs_.clear();
  // Undo takes entries back from the end, so the undone ones are a suffix; the earliest of them
  // is redone first, so it goes last.
  for (const JournalEntry& entry : *journal) {
    auto edit = MemoryEdit::parse(entry.kind, entry.payload);
    if (!edit) return Status::corrupt(store_->path() + ": " + edit.status().message());
    if (!entry.undone && !undoneSeqs_.empty())
      return Status::corrupt(store_->path() + ": the journal has an edit after undone ones");
    (entry.undone ? edits.undone : edits.active).push_back(std::move(*edit));
    (entry.undone ? undoneSeqs_ : activeSeqs_).push_back(entry.seq);
  }
  std::reverse(edits.undone.begin(), edits.undone.end());
  std::reverse(undoneSeqs_.begin(), undoneSeqs_.end());
  return edits;
}

Status ProjectJournal::recordCommit(const MemoryEdit& edit) {
  auto seq = store_->appendJournal(edit.kindName(), edit.payload());
  if (!seq) return seq.status();
  activeSeqs_.push_back(*seq);
  undoneSeqs_.clear();
  return Status::ok();
}

Status ProjectJournal::recordStep(bool undo) {
  auto& from = undo ? activeSeqs_ : undoneSeqs_;
  auto& to = undo ? undoneSeqs_ : activeSeqs_;
  if (from.empty()) return Status::invalidArgument(undo ? "nothing to undo" : "nothing to redo");
  if (Status s = store_->setUndone(from.back(), undo); !s) return s;
  to.push_back(from.back());
  from.pop_back();
  return Status::ok();
}

}  // namespace memlens
