#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "memlens/edit_journal.h"
#include "memlens/edited_memory.h"
#include "memlens/experiment.h"
#include "memlens/pruning.h"

namespace memlens {

// What an edit, an undo or a redo changes on the probe set.
struct ProbeChange {
  std::vector<ChangedToken> changed;  // in probe order
  uint32_t slotsBefore = 0, slotsAfter = 0;
  uint64_t instancesBefore = 0, instancesAfter = 0;
  uint64_t correctBefore = 0, correctAfter = 0;  // probe tokens predicted right
};

// Editing a trained memory: the edits a journal replays, previews, prunings, commits, undo and
// redo, each step recorded in an EditJournal (when given) before the call returns and taken back
// when the journal cannot record it, so the memory and the file never disagree. What projects
// (memlens-cli, Python) and the app's Memory tab both use. Count-vote memories only.
// Not thread-safe: one thread at a time (const calls may run concurrently with each other).
class EditSession {
 public:
  struct Options {
    // Feature weights stay those of the unedited training set through every edit.
    bool keepTrainedWeights = false;
    std::vector<MemoryEdit> edits;   // in effect, replayed on open, oldest first
    std::vector<MemoryEdit> undone;  // the redo history: the last one is redone first
  };

  // `probe` is the set previews compare (a width other than the memory's is an error).
  // Nothing is retrained unless `options` replays edits.
  static Result<std::unique_ptr<EditSession>> open(std::shared_ptr<const Experiment> trained,
                                                   InstanceSet probe, Options options,
                                                   JobControl* job = nullptr);
  EditSession(const EditSession&) = delete;
  EditSession& operator=(const EditSession&) = delete;
  ~EditSession();

  // The trained, unedited memory with its split, base model and tuning.
  const Experiment& trained() const { return *trained_; }
  const EditedMemory& edited() const { return *edited_; }
  // The memory as it stands, as an experiment: the trained one while no edit is in effect,
  // else the trained one's split, base model and tuning with the edited classifier.
  Result<std::shared_ptr<const Experiment>> memory() const;
  // Probe tokens the memory as it stands predicts right.
  uint64_t correct() const;

  // The edit a pruning makes of the memory as it stands (usage census on validation tokens).
  Result<MemoryEdit> planPrune(const PruneOptions& options, JobControl* job = nullptr) const;
  Result<EditedMemory::Preview> preview(const MemoryEdit& edit, JobControl* job = nullptr) const {
    return edited_->preview(edit, job);
  }
  ProbeChange changeOf(const EditedMemory::Preview& preview) const;

  // Adopts a preview made on the memory as it stands and journals it (building the memory a
  // large prune's preview left unbuilt: cancellable, see EditedMemory::commit()). A step
  // cancelled or refused changes nothing: the memory, its edits and the journal stay as they were.
  Result<ProbeChange> commit(EditedMemory::Preview preview, EditJournal* journal,
                             JobControl* job = nullptr);
  Result<ProbeChange> undo(EditJournal* journal, JobControl* job = nullptr);
  Result<ProbeChange> redo(EditJournal* journal, JobControl* job = nullptr);
  // Readies a count-threshold drag of the memory as it stands (EditedMemory::prepareCountDrag()).
  Status prepareCountDrag(JobControl* job = nullptr) { return edited_->prepareCountDrag(job); }
  // Makes `probe` the probe set, predicted with the memory as it stands (no retraining).
  Status setProbe(InstanceSet probe, JobControl* job = nullptr) {
    return edited_->setProbe(std::move(probe), job);
  }

 private:
  EditSession() = default;
  enum class Step { kCommit, kUndo, kRedo };
  Result<ProbeChange> take(Step step, EditedMemory::Preview* preview, EditJournal* journal,
                           JobControl* job);

  std::shared_ptr<const Experiment> trained_;
  std::unique_ptr<EditedMemory> edited_;
};

}  // namespace memlens
