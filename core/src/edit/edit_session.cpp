#include "memlens/edit_session.h"

#include <tbb/task_group.h>

#include <utility>

#include "classify/classifier_factories.h"
#include "memlens/job_control.h"

namespace memlens {
namespace {

// The memory file's arrays an edit reads, in bytes, past which opening leaves them on disk.
constexpr uint64_t kWarmBytes = uint64_t{256} << 20;

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
  // Beside the opening, on the other core: the deferred checks and first reads of the memory
  // file's pages that an edit reads (stored vectors, distributions, source lists, the tree),
  // which the first edit would otherwise pay for. Below a size only: at 100M instances they span
  // gigabytes, which would stay resident.
  tbb::task_group warm;
  const InstanceBase& memory = e.classifier().memory();
  const IgTree* tree = igTreeOf(e.classifier());
  const uint64_t bytes = memory.instanceCount() * 12 +
                         uint64_t{memory.vectorCount()} * (4 * memory.width() + 20) +
                         (tree ? tree->nodeCount() * sizeof(IgTree::Node) : 0);
  if (bytes <= kWarmBytes)
    warm.run([&] {
      (void)memory.checkAll();  // damage found here reads as the lazy checks read it
      if (tree) (void)tree->checkAll();
    });
  auto edited = EditedMemory::create(
      std::shared_ptr<const TokenisedCorpus>(s->trained_, &e.corpus()),
      std::shared_ptr<const InstanceSet>(s->trained_, &e.train()), std::move(probe), classifier,
      std::shared_ptr<const Classifier>(s->trained_, &e.classifier()), std::move(options.edits),
      std::move(options.undone), job);
  warm.wait();
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
  if (usesCensus(o.strategy)) o.census = &trained_->validation();
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
