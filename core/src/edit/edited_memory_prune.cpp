// EditedMemory's large prunes under fixed weights: answered before the memory they leave is built.
#include <tbb/parallel_for.h>

#include <algorithm>

#include "classify/classifier_factories.h"
#include "edit/edited_memory_state.h"
#include "edit/incremental_ib1.h"
#include "edit/kept_memory.h"
#include "edit/pruned_answers.h"
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

Result<bool> EditedMemory::answerPruned(Preview::Pending& p, const Preview::Pending& from,
                                        std::span<const std::vector<Change>> changes,
                                        ClassOrder& order, uint64_t overlayLimit,
                                        JobControl* job) const {
  const OverlapMemory* memory = overlapMemoryOf(*p.base);
  const auto* search = memory ? dynamic_cast<const NeighbourSearch*>(&memory->search()) : nullptr;
  if (!search || !from.queries) return false;
  const InstanceBase& base = memory->base();
  // The instances each stored vector loses (millions at 100M: found in parallel): the edit
  // qualifies when it only removes instances, and all of each vector it touches.
  std::vector<uint32_t> lost(base.vectorCount(), 0);
  for (const std::vector<Change>& list : changes) {
    std::vector<uint32_t> ids(list.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, list.size(), 4096), [&](const auto& range) {
      for (size_t i = range.begin(); i != range.end(); ++i) {
        const Change& c = list[i];
        ids[i] = !c.existed || !c.liveBefore || c.liveAfter ? InstanceBase::kNone
                                                            : base.find(*c.featuresBefore);
      }
    });
    for (uint32_t id : ids) {
      if (id == InstanceBase::kNone) return false;
      ++lost[id];
    }
  }
  std::vector<bool> kept(base.vectorCount(), true);
  uint64_t removed = 0;
  for (uint32_t v = 0; v < base.vectorCount(); ++v) {
    if (lost[v] == 0) continue;
    uint64_t held = 0;
    for (const ClassCount& c : base.distribution(v)) held += c.count;
    if (lost[v] != held) return false;
    kept[v] = false;
    ++removed;
  }
  // Fewer: the overlay holds them, and the memory is edited in place.
  if (removed <= overlayLimit) return false;
  const ProbeQueries& queries = *from.queries;
  auto answers = prunedAnswers(*search, base, kept, order, options_, queries, job);
  if (!answers) return answers.status();
  p.predictions.resize(queries.tokens());
  for (size_t t = 0; t < queries.tokens(); ++t) p.predictions[t] = (*answers)[queries.of(t)];
  p.queries = from.queries;
  p.slots = static_cast<uint32_t>(base.vectorCount() - removed);
  p.instanceCount = p.state->liveCount;
  p.retrained = true;
  p.unbuilt = std::move(order);
  return true;
}

Status EditedMemory::buildPruned(Preview::Pending& p, JobControl* job) const {
  auto classifier = keptClassifier(*p.state, job);
  if (!classifier) return classifier.status();
  // Built aside (not a copy of `p`: a prune's changes list millions of instances).
  Preview::Pending built;
  built.base = std::move(*classifier);
  built.overlay = std::make_shared<const VectorOverlay>(built.base->memory());
  built.engine = std::make_shared<IncrementalIb1>(
      options_, built.base, built.overlay, *p.unbuilt,
      [kept = p.kept]() -> const InstanceSet& { return kept->get(); });
  built.queries = p.queries;
  // The search state later previews start from (reach, ties, votes); the answers are the same.
  if (Status s = predictProbe(built, nullptr, {}, job); !s) return s;
  p.base = std::move(built.base);
  p.overlay = std::move(built.overlay);
  p.engine = std::move(built.engine);
  p.classifier = p.engine;
  p.answers = std::move(built.answers);
  p.reach = std::move(built.reach);
  p.tiedOn = std::move(built.tiedOn);
  p.votes = std::move(built.votes);
  p.unbuilt.reset();
  return Status::ok();
}

}  // namespace memlens
