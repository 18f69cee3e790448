#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/memory_edit.h"
#include "memlens/tokenised_corpus.h"

namespace memlens {

class ProbePaths;
class PrunedTreePaths;
class PrunedWalks;
class RowsByKey;
struct ClassOrder;

// A probe-set token whose prediction an edit changes.
struct ChangedToken {
  size_t probeIndex = 0;
  uint64_t source = 0;
  uint32_t oldClassId = 0;  // Prediction::kNoClass when there was no answer
  uint32_t newClassId = 0;
};

// A memory under editing. Its state is a pure function of the unedited training instances, the
// classifier options and the list of edits applied: each edit filters, relabels, re-features
// (merges) or appends training instances, so rebuilding from the same inputs gives identical
// predictions, and document surgery leaves no trace of the document in any stored vector. Feature
// weights are recomputed from the edited set unless the options fix them
// (ClassifierOptions::fixedWeights, e.g. the trainedWeights() of the unedited instances: the
// memory then keeps its trained weights through every edit).
// How an edit reaches the classifier: with fixed weights every engine is edited in place, without
// retraining (core/src/edit/incremental_*.h); every edit resolves to instances removed and added
// and the trained memory stays as it is. IB1 and TRIBL2 (overlap metric): the stored vectors
// whose counts changed are masked out of the trained memory and re-entered in an overlay, indexed
// by match pattern (OverlayIndex) and searched together exactly, along TRIBL2's walk for TRIBL2.
// IGTree: the nodes on the edited vectors' paths are recounted and kept or dropped against their
// parent's default as training's compression would, subtrees whose default moves are rebuilt
// from their live instances, and the root comes from the edited class totals. A preview
// re-answers only the probe tokens the edit can change: IB1 and TRIBL2 answer each distinct probe
// context once and reach those with an edited vector within their neighbour reach (or a tie
// broken by a class whose total moved); IB1 re-votes such a context from the buckets its last
// vote read plus the edit's changes within them, and searches only when a bucket it needs
// empties; IGTree re-answers the probe tokens under the nodes the edit rebuilt or re-defaulted
// (ProbePaths). The instance rows are the training set's own, shared in chunks copied on first
// write; an edit finds its instances by source, by document (its token ranges) or by stored
// vector; the class order ties use is kept per edit (class totals and first live rows). The
// memory is retrained from the edited instances and edited from there when the overlay passes
// half the trained memory's stored vectors (at least 65536; IB1, TRIBL2), when an edit would
// rebuild IGTree subtrees holding more than a quarter of the instances (at least 65536), or when
// the IGTree root's default class changes. Recomputed weights (no fixed weights): the value and
// value×class counts they come from are kept per changed instance (MaintainedCounts), so the new
// weights, bitwise those a retrain computes, cost no pass over the instances; IGTree depends on
// them only through its feature order (and its distances) and is edited in place while the order
// is the trained one's, retrained when it moves. IB1 and TRIBL2 under recomputed weights, and
// MVDM, retrain from the edited instances on each preview, undo and redo (every distance sums the
// weights). Either way the classifier answers as one trained on instances() with the options. An
// edit is first previewed (the exact probe-set tokens whose prediction changes), then committed;
// undo and redo restore one of the last few memory states kept on either side, and replay the
// edit list beyond them. Not thread-safe: one thread at a time (const calls may run concurrently
// with each other).
class EditedMemory {
 public:
  // Sources of inserted instances: this bit set, the insertion count below it. They have no
  // corpus position (TokenStream::position() does not apply).
  static constexpr uint64_t kInsertedSource = uint64_t{1} << 63;

  // The edit and what it does, ready to commit while the memory is unchanged.
  struct Preview {
    MemoryEdit edit;
    std::vector<ChangedToken> changed;  // in probe order
    uint32_t slotsBefore = 0, slotsAfter = 0;
    uint64_t instancesBefore = 0, instancesAfter = 0;
    // Whether the edited memory was retrained from its instances rather than edited in place, and
    // whether recomputed weights changed the feature order (IGTree, TRIBL2) or the order of match
    // distances (IB1, TRIBL2), which retrains.
    bool retrained = false;
    bool orderChanged = false;
    // A large prune under fixed weights answered with its stored vectors masked: commit() builds
    // the memory it leaves.
    bool buildsOnCommit = false;

   private:
    friend class EditedMemory;
    struct Pending;
    std::shared_ptr<Pending> pending_;
    uint64_t generation_ = 0;
  };

  // `train` must come from `corpus` (sources are its token indices). `probe` is the set whose
  // predictions previews compare (may be empty). Applies `edits` in order; `undone` is the redo
  // history (the last one is redone first).
  static Result<std::unique_ptr<EditedMemory>> create(std::shared_ptr<const TokenisedCorpus> corpus,
                                                      InstanceSet train, InstanceSet probe,
                                                      const ClassifierOptions& options,
                                                      std::vector<MemoryEdit> edits = {},
                                                      std::vector<MemoryEdit> undone = {},
                                                      JobControl* job = nullptr);
  // As create(), starting from `trained`: a classifier already trained on `train` that
  // predicts as one trained under `options` would (e.g. an Experiment's, or one opened from a
  // memory file). The unedited memory is `trained` itself, so nothing is retrained unless
  // edits apply, and undoing every edit gets it back without training.
  // `train` is shared, not copied (a 100M-instance memory's instances take gigabytes).
  static Result<std::unique_ptr<EditedMemory>> create(
      std::shared_ptr<const TokenisedCorpus> corpus, std::shared_ptr<const InstanceSet> train,
      InstanceSet probe, const ClassifierOptions& options,
      std::shared_ptr<const Classifier> trained, std::vector<MemoryEdit> edits = {},
      std::vector<MemoryEdit> undone = {}, JobControl* job = nullptr);
  // The feature weights a memory trained on the unedited `train` has under `options` (its
  // fixedWeights when set), for ClassifierOptions::fixedWeights. Honours cancel.
  static Result<std::vector<double>> trainedWeights(const InstanceSet& train,
                                                    const ClassifierOptions& options,
                                                    JobControl* job = nullptr);
  EditedMemory(const EditedMemory&) = delete;
  EditedMemory& operator=(const EditedMemory&) = delete;
  ~EditedMemory();

  const Classifier& classifier() const;
  // The same classifier, owned with the state it belongs to: it outlives later edits, undo and
  // redo (which replace the state), e.g. for Experiment::withMemory.
  std::shared_ptr<const Classifier> sharedClassifier() const;
  // The edited training instances the classifier answers as if trained on (listed on first call
  // after a change).
  const InstanceSet& instances() const;
  // How many stored vectors and instances the edited memory holds, without listing either (the
  // incremental engine's classifier().memory() trains the edited InstanceBase on first use).
  uint32_t vectorCount() const;
  uint64_t instanceCount() const;
  const InstanceSet& probe() const { return probe_; }
  // The probe set's current predictions (class ids), in probe order.
  const std::vector<uint32_t>& probePredictions() const;
  const TokenisedCorpus& corpus() const { return *corpus_; }
  // Edits in effect, oldest first, and those undone (redo pops the last one).
  const std::vector<MemoryEdit>& edits() const { return edits_; }
  const std::vector<MemoryEdit>& undone() const { return undone_; }
  // Whether feature weights are recomputed after each edit (no fixed weights), and whether the
  // memory as it stands was retrained by the last step (edit, undo or redo) rather than edited in
  // place or taken back.
  bool weightsRecomputed() const { return options_.fixedWeights.empty(); }
  bool retrained() const;

  // Checks the edit against the current memory (an unknown vector, source, document or class is
  // an error), makes the edited memory and compares the probe predictions. On cancel nothing
  // changes.
  Result<Preview> preview(const MemoryEdit& edit, JobControl* job = nullptr) const;
  // Adopts a preview made on the current state (a stale preview is refused); clears redo. A
  // prune's preview may leave its memory to be built here (under fixed weights: see
  // answerPruned()): cancellable then, and on cancel nothing changes.
  Status commit(Preview preview, JobControl* job = nullptr);
  Status undo(JobControl* job = nullptr);
  Status redo(JobControl* job = nullptr);
  // Readies a count-threshold drag's stops ahead of the first where they are answered with the
  // stored vectors masked (IB1, IGTree and TRIBL2 under fixed weights, a prune larger than an
  // overlay holds): after a committed edit, first builds the memory as it stands from the trained
  // memory's stored vectors and makes it the base later edits and stops start from, as a
  // committed prune's memory is (else each stop at 100M listed the edited memory, minutes, and
  // retrained it); then answers the probe set as a stop at min-count 2 does and keeps the walks
  // (IB1) or tree paths (IGTree) it made (kept across stops: most of a first stop at 100M),
  // unless kept ones serve it already (TRIBL2 keeps none).
  // Otherwise nothing. Changes no answer, edit or undo step, and leaves earlier previews valid.
  // Honours cancel: cancelled, the memory is as it was.
  Status prepareCountDrag(JobControl* job = nullptr);
  // Whether a count-threshold drag's stops are answered with the stored vectors masked once it
  // is readied: fixed weights, and a memory whose search or tree can mask them (IB1 and TRIBL2
  // searched by match patterns, up to 6 features; an IGTree keeping its trie order).
  bool masksCountStops() const;
  // Makes `probe` the probe set (its width must be the memory's) and predicts it with the memory
  // as it is, without retraining; earlier previews become stale. On cancel nothing changes.
  Status setProbe(InstanceSet probe, JobControl* job = nullptr);

 private:
  struct State;
  struct Change;
  struct Changes;
  struct EntryChanges;
  struct Kept;
  EditedMemory() = default;
  Result<std::shared_ptr<Preview::Pending>> build(const std::vector<MemoryEdit>& edits,
                                                  JobControl* job) const;
  // Applies `edit` to `state`; with `changes`, lists what it changed there, one entry per
  // instance, in index order (see Changes).
  Status applyEdit(State& state, const MemoryEdit& edit, Changes* changes = nullptr) const;
  // The incremental engine (IB1, overlap metric, fixed weights): no retraining.
  Status start(const std::vector<MemoryEdit>& edits, JobControl* job);
  // `preview`: the memory is only previewed (answerPruned() may leave it unbuilt).
  Result<std::shared_ptr<Preview::Pending>> step(const MemoryEdit& edit, bool preview,
                                                 JobControl* job) const;
  Result<std::shared_ptr<Preview::Pending>> advance(const Preview::Pending* from,
                                                    std::shared_ptr<State> state,
                                                    std::span<const Changes> changes, bool undo,
                                                    size_t editCount, bool preview,
                                                    JobControl* job) const;
  // IB1, IGTree or TRIBL2 under fixed weights, a prune that empties more stored vectors of `from`'s
  // memory (held whole by its base, no overlay) than an overlay may hold, and removes nothing else:
  // answers the probe set into `p` over the base with those vectors masked (answerMasked()), and
  // leaves the memory to buildPruned(). False (`p` untouched) for any other edit.
  Result<bool> answerPruned(Preview::Pending& p, const Preview::Pending& from,
                            std::span<const Changes> changes, ClassOrder& order,
                            uint64_t overlayLimit, JobControl* job) const;
  // Whether answerPlanned() may answer a planned prune of the current memory (the plan aside).
  bool answersPlanned() const;
  // Whether answerMasked() can answer over `from`'s base: the pattern search (IB1, TRIBL2), or an
  // IGTree keeping its trie order.
  bool maskable(const Preview::Pending& from) const;
  // Whether answerMasked()'s walks (IB1) or tree paths (IGTree) serve the current memory
  // (answersPlanned()) and probe set; TRIBL2's stops keep nothing.
  bool walked() const;
  // The current memory with its base built from its live instances (no overlay) and that base
  // as its classifier, so that answersPlanned(); null when it already is, or when previews of it
  // retrain (nothing masked). Cancellable.
  Result<std::shared_ptr<Preview::Pending>> rebased(JobControl* job) const;
  // answerPruned() for a prune planPrune() planned on the current memory, unedited, from the
  // stored vectors it planned (MemoryEdit::planned): the edit is applied on commit. Null when
  // answerPruned() would not answer it, or the plan is not of this memory and edit. `stage`: the
  // progress shown meanwhile.
  Result<std::shared_ptr<Preview::Pending>> answerPlanned(const MemoryEdit& edit,
                                                          uint64_t overlayLimit, const char* stage,
                                                          JobControl* job) const;
  // What both answer into `p`: the probe set over `from`'s base without the stored vectors
  // `removed` marks, which leave `slots` vectors and `instances` instances (IGTree: by
  // PrunedTreePaths, made once per memory and probe set).
  Status answerMasked(Preview::Pending& p, const Preview::Pending& from,
                      const std::vector<bool>& removed, uint32_t slots, uint64_t instances,
                      ClassOrder order, JobControl* job) const;
  // IB1's and TRIBL2's: the predictions by prunedAnswers(), IB1's from the walks kept across
  // stops, TRIBL2's each in the group its walk down the tree ends in.
  Status answerWalked(Preview::Pending& p, const Preview::Pending& from,
                      const std::vector<bool>& removed, const ClassOrder& order,
                      JobControl* job) const;
  // Builds the memory answerPruned() left unbuilt into `p`, applying `edit` first when
  // answerPlanned() left it unapplied; on cancel `p` is as it was.
  Status buildPruned(Preview::Pending& p, const MemoryEdit& edit, JobControl* job) const;
  // Makes `p`'s base, engine and classifier those of the live instances of `state` (`kept`,
  // class order `order`), with no overlay, and its search state (answers, reach, ties, votes)
  // theirs; on cancel `p` is as it was.
  Status rebuild(Preview::Pending& p, const State& state, std::shared_ptr<Kept> kept,
                 const ClassOrder& order, JobControl* job) const;
  // The memory the live instances of `state` make, from the trained memory's stored vectors.
  Result<std::shared_ptr<const Classifier>> keptClassifier(const State& state,
                                                           JobControl* job) const;
  // Makes `next` the current memory after a commit or redo.
  void adopt(std::shared_ptr<Preview::Pending> next);
  // Pushes `memory` onto `memories` (before_ or after_), dropping the oldest past kKeptMemories.
  static void keep(std::vector<std::shared_ptr<Preview::Pending>>& memories,
                   std::shared_ptr<Preview::Pending> memory);
  // Predicts the probe set with `p`'s engine into `p`: the tokens the stored vectors of `edited`
  // (entries of `p`'s overlay) can change since `from`, or all of them without `from`.
  Status predictProbe(Preview::Pending& p, const Preview::Pending* from, const EntryChanges& edited,
                      JobControl* job) const;
  // predictProbe() for IGTree: the tokens under the nodes the edit rebuilt (probePaths_).
  Status predictTreeProbe(Preview::Pending& p, const Preview::Pending* from, JobControl* job) const;

  // Instances by source, without visiting all of them: the base instances whose source is in
  // [begin, end), ascending, appended to `rows`; the row of `source` (the first, if several).
  // `cursor`: a place in the source order where the search starts (exponentially), moved to what
  // was found: callers asking for many ascending sources keep one, so each costs the log of the
  // distance from the last (one binary search over all 73M instances each took seconds for a
  // stored vector's 2.5M instances).
  void rowsWithSources(uint64_t begin, uint64_t end, std::vector<size_t>& rows,
                       size_t* cursor = nullptr) const;
  Result<size_t> rowOfSource(const State& state, uint64_t source, size_t* cursor = nullptr) const;
  // The rows that may hold stored vector `features`: the base vector's instances, the rows merges
  // moved and the inserted ones (every row when the memory has no trained base to ask).
  std::vector<size_t> rowsOfVector(const State& state, std::span<const uint32_t> features) const;

  std::shared_ptr<const TokenisedCorpus> corpus_;
  std::shared_ptr<const InstanceSet> base_;
  InstanceSet probe_;
  // Base instance indices in source order; empty when the sources ascend (as a split gives them:
  // the order is then the instances' own).
  std::vector<uint32_t> bySource_;
  // Per document, the corpus token ranges [begin, end) its lines hold, adjacent ones joined.
  std::vector<std::vector<std::pair<uint64_t, uint64_t>>> tokensOf_;
  // Incremental: the base instances of each class id.
  std::unique_ptr<const RowsByKey> classRows_;
  ClassifierOptions options_;
  std::shared_ptr<const Classifier> trained_;  // the unedited memory, when create() was given it
  std::vector<MemoryEdit> edits_, undone_;
  std::shared_ptr<Preview::Pending> current_;
  uint64_t generation_ = 0;
  bool incremental_ = false;
  bool lastRetrained_ = false;  // see retrained()
  // Incremental IGTree: the first tree feature.
  int firstFeature_ = -1;
  // Incremental IGTree: the probe tokens by their paths in the tree.
  std::shared_ptr<const ProbePaths> probePaths_;
  std::shared_ptr<const Classifier> baseClassifier_;  // what the incremental engine edits
  std::vector<Changes> journal_;                      // incremental: what each of edits_ changed
  // Incremental: the memory before the last edit that retrained it (compacted), while that edit
  // is in effect as edits_[compactedAt_], so that undoing it does not retrain again.
  std::shared_ptr<Preview::Pending> beforeCompaction_;
  size_t compactedAt_ = 0;
  // Incremental: the memories before the last edits in effect (back: before edits_.back()) and
  // those the undos since the last edit left (back: after undone_.back()), up to kKeptMemories
  // each, so that undo and redo (several in a row) take a memory back instead of recomputing it.
  // A large edit at 100M instances took as long to undo as to preview; the cost is the kept
  // memories' overlays, tree entries and probe predictions.
  static constexpr size_t kKeptMemories = 3;
  std::vector<std::shared_ptr<Preview::Pending>> before_, after_;
  // answerMasked()'s walks (IB1) and tree paths (IGTree), kept across a drag's stops for the
  // memory and probe set they serve.
  mutable std::mutex walksMutex_;
  mutable std::shared_ptr<PrunedWalks> walks_;
  mutable std::shared_ptr<const PrunedTreePaths> treePaths_;
};

}  // namespace memlens
