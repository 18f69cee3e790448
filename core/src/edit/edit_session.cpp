#include "memlens/edit_session.h"

#include <utility>

#include "memlens/job_control.h"

namespace memlens {
namespace {

uint64_t correctCount(const std::vector<uint32_t>& predictions, const InstanceSet& probe) {
  uint64_t n = 0;
  for (size_t i = 0; i < predictions.size(); ++i) n += predictions[i] == probe.classes[i] ? 1 : 0;
  return n;
}

}  // namespace

EditSession::~EditSession() = default;

Result<std::unique_ptr<EditSession>> EditSession::open(std::shared_ptr<const Experiment> trained,
                                                       InstanceSet probe, Options options,
                                                       JobControl* job) {
  std::unique_ptr<EditSession> s(new EditSession());
  s->trained_ = std::move(trained);
  const Experiment& e = *s->trained_;
  ClassifierOptions classifier = e.record().options.classifier;
  // The trained memory's weights are those of the unedited training set.
  if (options.keepTrainedWeights) classifier.fixedWeights = e.classifier().weights();
  auto edited = EditedMemory::create(
      std::shared_ptr<const TokenisedCorpus>(s->trained_, &e.corpus()),
      std::shared_ptr<const InstanceSet>(s->trained_, &e.train()), std::move(probe), classifier,
      std::shared_ptr<const Classifier>(s->trained_, &e.classifier()), std::move(options.edits),
      std::move(options.undone), job);
  if (!edited) return edited.status();
  s->edited_ = std::move(*edited);
  return s;
}

Result<std::shared_ptr<const Experiment>> EditSession::memory() const {
  if (edited_->edits().empty()) return trained_;
  auto memory = Experiment::withMemory(trained_, edited_->instances(), edited_->sharedClassifier());
  if (!memory) return memory.status();
  return std::shared_ptr<const Experiment>(std::move(*memory));
}

uint64_t EditSession::correct() const {
  return correctCount(edited_->probePredictions(), edited_->probe());
}

Result<MemoryEdit> EditSession::planPrune(const PruneOptions& options, JobControl* job) const {
  PruneOptions o = options;
  o.census = &trained_->validation();
  return memlens::planPrune(*edited_, o, job);
}

ProbeChange EditSession::changeOf(const EditedMemory::Preview& preview) const {
  ProbeChange c;
  c.changed = preview.changed;
  c.slotsBefore = preview.slotsBefore;
  c.slotsAfter = preview.slotsAfter;
  c.instancesBefore = preview.instancesBefore;
  c.instancesAfter = preview.instancesAfter;
  c.correctBefore = correct();
  c.correctAfter = c.correctBefore;
  for (const ChangedToken& t : c.changed) {
    const uint32_t truth = edited_->probe().classes[t.probeIndex];
    c.correctAfter += t.newClassId == truth ? 1 : 0;
    c.correctAfter -= t.oldClassId == truth ? 1 : 0;
  }
  return c;
}

Result<ProbeChange> EditSession::commit(EditedMemory::Preview preview, EditJournal* journal,
                                        JobControl* job) {
  return take(Step::kCommit, &preview, journal, job);
}

Result<ProbeChange> EditSession::undo(EditJournal* journal, JobControl* job) {
  return take(Step::kUndo, nullptr, journal, job);
}

Result<ProbeChange> EditSession::redo(EditJournal* journal, JobControl* job) {
  return take(Step::kRedo, nullptr, journal, job);
}

// The memory first, then the journal; the memory is put back when the journal cannot record it.
// A step asked to stop before it starts is not taken: undo and redo to a kept memory poll nothing.
Result<ProbeChange> EditSession::take(Step step, EditedMemory::Preview* preview,
                                      EditJournal* journal, JobControl* job) {
  if (cancelRequested(job)) return Status::cancelled();
  EditedMemory& m = *edited_;
  ProbeChange c;
  const std::vector<uint32_t> before = m.probePredictions();
  c.slotsBefore = m.vectorCount();
  c.instancesBefore = m.instanceCount();
  c.correctBefore = correct();
  const Status taken = step == Step::kUndo   ? m.undo(job)
                       : step == Step::kRedo ? m.redo(job)
                                             : m.commit(std::move(*preview), job);
  if (!taken) return taken;
  if (journal) {
    const Status journaled = step == Step::kUndo   ? journal->recordUndo()
                             : step == Step::kRedo ? journal->recordRedo()
                                                   : journal->recordCommit(m.edits().back());
    if (!journaled) {
      const Status back = step == Step::kUndo ? m.redo() : m.undo();
      if (!back)
        return Status::internal(journaled.message() +
                                "; the memory could not be put back to match the project file "
                                "either (" +
                                back.message() + "): reopen the project");
      return Status::ioError("the project file could not record it, so it was taken back: " +
                             journaled.message());
    }
  }
  const std::vector<uint32_t>& after = m.probePredictions();
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] != after[i]) c.changed.push_back({i, m.probe().sources[i], before[i], after[i]});
  }
  c.slotsAfter = m.vectorCount();
  c.instancesAfter = m.instanceCount();
  c.correctAfter = correct();
  return c;
}

}  // namespace memlens
