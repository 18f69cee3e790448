// EditedMemory's large prunes under fixed weights: answered before the memory they leave is built.
#include <tbb/parallel_for.h>

#include <algorithm>

#include "classify/classifier_factories.h"
#include "edit/edited_memory_state.h"
#include "edit/incremental_ib1.h"
#include "edit/incremental_igtree.h"
#include "edit/incremental_tribl2.h"
#include "edit/kept_memory.h"
#include "edit/pruned_answers.h"
#include "edit/pruned_tree_paths.h"
#include "edit/pruned_vectors.h"
#include "edit/pruned_walks.h"
#include "edit/vector_overlay.h"
#include "memlens/edited_memory.h"
#include "memory/overlap_memory.h"

namespace memlens {

Result<std::shared_ptr<const Classifier>> EditedMemory::keptClassifier(const State& state,
                                                                       JobControl* job) const {
  // From the trained memory's stored vectors: what training on the kept instances gives, without
  // listing and hashing them again.
  auto kept =
      keptMemory(baseClassifier_->memory(), state.rows, state.refeatured, state.liveCount, job);
  if (!kept) return kept.status();
  auto classifier = restoreClassifier(options_, std::move(*kept), job);
  if (!classifier) return classifier.status();
  return std::shared_ptr<const Classifier>(std::move(*classifier));
}

namespace {

// The trained memory's pattern search, which prunedAnswers() walks (IB1, TRIBL2).
const NeighbourSearch* maskableSearch(const Classifier& base) {
  const OverlapMemory* memory = overlapMemoryOf(base);
  return memory ? dynamic_cast<const NeighbourSearch*>(&memory->search()) : nullptr;
}

// TRIBL2's walks down its tree over the stored vectors of `memory` that `removed` does not mark:
// per query, the features of the deepest prefix (in tree order, short of all of them) that a
// kept vector shares, 0 for none; all features when the query is a kept vector (a search of that
// pattern alone votes its counts, as TRIBL2 answers an exact match).
std::vector<uint32_t> tribl2Prefixes(const OverlapMemory& memory, const NeighbourSearch& search,
                                     const ProbeQueries& queries, const std::vector<bool>& removed,
                                     JobControl* job) {
  const InstanceBase& base = memory.base();
  const auto width = static_cast<size_t>(base.width());
  std::vector<uint32_t> prefixes(width, 0);  // by depth
  for (size_t d = 1; d < width; ++d)
    prefixes[d] = prefixes[d - 1] | 1u << memory.treeOrder()[d - 1];
  std::vector<uint32_t> required(queries.size(), 0);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, queries.size(), 64), [&](const auto& range) {
    if (cancelRequested(job)) return;
    for (size_t q = range.begin(); q != range.end(); ++q) {
      const uint32_t* query = queries.query(q);
      if (const uint32_t v = base.find({query, width}); v != InstanceBase::kNone && !removed[v]) {
        required[q] = allFeatures(static_cast<int>(width));
        continue;
      }
      for (size_t d = width - 1; d > 0 && required[q] == 0; --d)
        search.forEachMember(query, prefixes[d], [&](uint32_t id) {
          if (!removed[id]) required[q] = prefixes[d];
          return removed[id];
        });
    }
  });
  return required;
}

}  // namespace

bool EditedMemory::masksCountStops() const {
  return incremental_ && !weightsRecomputed() && maskable(*current_);
}

bool EditedMemory::maskable(const Preview::Pending& from) const {
  if (options_.algorithm == Algorithm::kIgTree)
    return probePaths_ && PrunedTreePaths::apply(*from.base, *probePaths_);
  return from.queries && maskableSearch(*from.base);
}

Result<bool> EditedMemory::answerPruned(Preview::Pending& p, const Preview::Pending& from,
                                        std::span<const Changes> changes, ClassOrder& order,
                                        uint64_t overlayLimit, JobControl* job) const {
  if (!maskable(from)) return false;
  const InstanceBase& base = p.base->memory();
  // The instances each stored vector loses (millions at 100M: found in parallel): the edit
  // qualifies when it only removes instances, and all of each vector it touches.
  std::vector<uint32_t> lost(base.vectorCount(), 0);
  for (const Changes& list : changes) {
    std::vector<uint32_t> ids(list.rows.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, ids.size(), 4096), [&](const auto& range) {
      for (size_t i = range.begin(); i != range.end(); ++i) {
        const Change& c = list.rows[i];
        ids[i] = !c.existed || !c.liveBefore || c.liveAfter ? InstanceBase::kNone
                                                            : base.find(list.before(c));
      }
    });
    for (uint32_t id : ids) {
      if (id == InstanceBase::kNone) return false;
      ++lost[id];
    }
  }
  std::vector<bool> removed(base.vectorCount(), false);
  uint32_t count = 0;
  for (uint32_t v = 0; v < base.vectorCount(); ++v) {
    if (lost[v] == 0) continue;
    uint64_t held = 0;
    for (const ClassCount& c : base.distribution(v)) held += c.count;
    if (lost[v] != held) return false;
    removed[v] = true;
    ++count;
  }
  // Fewer: the overlay holds them, and the memory is edited in place.
  if (count <= overlayLimit) return false;
  if (Status s = answerMasked(p, from, removed, base.vectorCount() - count, p.state->liveCount,
                              std::move(order), job);
      !s)
    return s;
  return true;
}

bool EditedMemory::answersPlanned() const {
  // As advance() takes a prune to answerPruned(), on a memory that is its base (no overlay: a
  // plan's vector ids are the base's): the trained memory unedited, or one built from the live
  // instances (a committed prune's, or rebased()).
  const Preview::Pending& from = *current_;
  return !from.state->counts && from.classifier == from.base && from.overlay->entries().empty() &&
         maskable(from);
}

bool EditedMemory::walked() const {
  const Preview::Pending& from = *current_;
  const std::lock_guard<std::mutex> lock(walksMutex_);
  if (options_.algorithm == Algorithm::kIgTree)
    return treePaths_ && treePaths_->serves(from.base, probePaths_);
  if (options_.algorithm == Algorithm::kTribl2) return true;  // its stops keep no walks
  return walks_ && walks_->serves(from.base, *maskableSearch(*from.base), from.queries);
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::rebased(
    JobControl* job) const {
  const Preview::Pending& from = *current_;
  if (answersPlanned() || from.state->counts || !from.engine || !maskable(from))
    return std::shared_ptr<Preview::Pending>();
  auto p = std::make_shared<Preview::Pending>(from);
  if (from.overlay->entries().empty()) {
    p->classifier = p->base;  // the engine answers as its base
  } else if (Status s = rebuild(*p, *from.state, from.kept, from.engine->classes(), job); !s) {
    return s;
  }
  return p;
}

Result<std::shared_ptr<EditedMemory::Preview::Pending>> EditedMemory::answerPlanned(
    const MemoryEdit& edit, uint64_t overlayLimit, const char* stage, JobControl* job) const {
  const Preview::Pending& from = *current_;
  const PrunedVectors* planned = edit.planned.get();
  if (!planned || !answersPlanned() || planned->memory.lock() != from.classifier ||
      planned->instances <= overlayLimit || planned->vectors <= overlayLimit ||
      !planned->plans(edit))
    return std::shared_ptr<Preview::Pending>();
  reportProgress(job, 0.0, stage);
  const InstanceBase& base = from.base->memory();
  const std::vector<bool>& removed = planned->removed;
  // The class order of what is left: each class's total less its removed instances, and its
  // first live row whose stored vector stays.
  const State& state = *from.state;
  std::vector<uint64_t> totals = state.classTotals;
  for (uint32_t v = 0; v < base.vectorCount(); ++v)
    if (removed[v])
      for (const ClassCount& c : base.distribution(v))
        totals[base.classId(c.classIndex)] -= c.count;
  const auto stays = [&](size_t row) {
    const uint32_t v = base.find(state.rows.features(row));
    return v != InstanceBase::kNone && !removed[v];
  };
  std::vector<size_t> first(totals.size(), State::kNoRow);
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, static_cast<uint32_t>(totals.size())),
                    [&](const auto& range) {
                      for (uint32_t c = range.begin(); c != range.end(); ++c)
                        if (totals[c] > 0 && !cancelRequested(job))
                          first[c] = state.firstRow(c, 0, base_->size(), *classRows_, stays);
                    });
  if (cancelRequested(job)) return Status::cancelled();
  auto p = std::make_shared<Preview::Pending>();
  p->base = from.base;
  if (Status s =
          answerMasked(*p, from, removed, base.vectorCount() - planned->vectors,
                       state.liveCount - planned->instances, State::orderOf(totals, first), job);
      !s)
    return s;
  return p;
}

Status EditedMemory::answerMasked(Preview::Pending& p, const Preview::Pending& from,
                                  const std::vector<bool>& removed, uint32_t slots,
                                  uint64_t instances, ClassOrder order, JobControl* job) const {
  if (options_.algorithm == Algorithm::kIgTree) {
    std::shared_ptr<const PrunedTreePaths> paths;
    {
      const std::lock_guard<std::mutex> lock(walksMutex_);
      if (treePaths_ && treePaths_->serves(p.base, probePaths_)) paths = treePaths_;
    }
    if (!paths) {  // made outside the lock (a second on a parallel stop is the same)
      auto made = PrunedTreePaths::of(p.base, probePaths_, job);
      if (!made) return made.status();
      paths = std::move(*made);
      const std::lock_guard<std::mutex> lock(walksMutex_);
      treePaths_ = paths;
    }
    auto answers = paths->answers(removed, order, job);
    if (!answers) return answers.status();
    p.predictions = std::move(*answers);
  } else if (Status s = answerWalked(p, from, removed, order, job); !s) {
    return s;
  }
  p.queries = from.queries;
  p.slots = slots;
  p.instanceCount = instances;
  p.retrained = true;
  p.unbuilt = std::move(order);
  return Status::ok();
}

Status EditedMemory::answerWalked(Preview::Pending& p, const Preview::Pending& from,
                                  const std::vector<bool>& removed, const ClassOrder& order,
                                  JobControl* job) const {
  const ProbeQueries& queries = *from.queries;
  const NeighbourSearch& search = *maskableSearch(*p.base);
  const InstanceBase& base = p.base->memory();
  Result<std::vector<uint32_t>> answers = Status::cancelled();
  if (options_.algorithm == Algorithm::kTribl2) {
    // Each query searches the group its walk ends in: a few patterns, not kept across stops (the
    // walks hold every pattern of a query, and a stop may end its walk higher).
    const std::vector<uint32_t> required =
        tribl2Prefixes(*overlapMemoryOf(*p.base), search, queries, removed, job);
    if (cancelRequested(job)) return Status::cancelled();
    answers =
        prunedAnswers(search, base, removed, order, options_, queries, nullptr, job, required);
  } else {
    std::shared_ptr<PrunedWalks> walks;
    {
      const std::lock_guard<std::mutex> lock(walksMutex_);
      if (!walks_ || !walks_->serves(p.base, search, from.queries))
        walks_ = std::make_shared<PrunedWalks>(p.base, search, from.queries);
      walks = walks_;
    }
    // Walked as before while a cancelled stop still holds them, or when this one keeps vectors
    // they leave out.
    const std::unique_lock<std::mutex> held = walks->use();
    PrunedWalks* kept = held.owns_lock() && walks->coveredBy(removed) ? walks.get() : nullptr;
    answers = prunedAnswers(search, base, removed, order, options_, queries, kept, job);
  }
  if (!answers) return answers.status();
  p.predictions.resize(queries.tokens());
  for (size_t t = 0; t < queries.tokens(); ++t) p.predictions[t] = (*answers)[queries.of(t)];
  return Status::ok();
}

Status EditedMemory::buildPruned(Preview::Pending& p, const MemoryEdit& edit,
                                 JobControl* job) const {
  // A planned prune's preview left the edit to apply (its state, instances and journal entry).
  std::shared_ptr<State> applied;
  Changes changes;
  if (!p.state) {
    applied = std::make_shared<State>(*current_->state);
    if (Status s = applyEdit(*applied, edit, &changes); !s) return s;
    applied->classOrder({&changes, 1}, false, *base_, *classRows_);  // the order p.unbuilt holds
  }
  const std::shared_ptr<const State> state = applied ? applied : p.state;
  auto kept = applied ? std::make_shared<Kept>(applied) : p.kept;
  if (Status s = rebuild(p, *state, kept, *p.unbuilt, job); !s) return s;
  if (applied) {
    p.state = std::move(applied);
    p.kept = std::move(kept);
    p.changes = std::move(changes);
  }
  p.unbuilt.reset();
  return Status::ok();
}

Status EditedMemory::rebuild(Preview::Pending& p, const State& state, std::shared_ptr<Kept> kept,
                             const ClassOrder& order, JobControl* job) const {
  auto classifier = keptClassifier(state, job);
  if (!classifier) return classifier.status();
  // Built aside (not a copy of `p`: a prune's changes list millions of instances).
  Preview::Pending built;
  built.base = std::move(*classifier);
  built.overlay = std::make_shared<const VectorOverlay>(built.base->memory());
  auto instances = [kept = std::move(kept)]() -> const InstanceSet& { return kept->get(); };
  if (options_.algorithm == Algorithm::kIgTree) {
    // A tree's answers are its walks': nothing to keep for later previews.
    built.engine =
        std::make_shared<IncrementalIgTree>(options_, built.base, order, std::move(instances));
  } else {
    if (options_.algorithm == Algorithm::kTribl2) {
      built.engine = std::make_shared<IncrementalTribl2>(options_, built.base, built.overlay, order,
                                                         std::move(instances));
    } else {
      built.engine = std::make_shared<IncrementalIb1>(options_, built.base, built.overlay, order,
                                                      std::move(instances));
    }
    built.queries = p.queries;
    // The search state later previews start from (reach, TRIBL2's masks, ties, votes); the
    // answers are the same.
    if (Status s = predictProbe(built, nullptr, {}, job); !s) return s;
  }
  p.base = std::move(built.base);
  p.overlay = std::move(built.overlay);
  p.engine = std::move(built.engine);
  // Without an overlay the engine answers as its base, which a count-threshold drag's plans and
  // masked stops then take as the memory (its stored vector ids; no listing of the instances).
  p.classifier = p.base;
  p.answers = std::move(built.answers);
  p.reach = std::move(built.reach);
  p.masks = std::move(built.masks);
  p.tiedOn = std::move(built.tiedOn);
  p.votes = std::move(built.votes);
  return Status::ok();
}

}  // namespace memlens
