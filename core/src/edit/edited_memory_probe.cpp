// EditedMemory::predictProbe: which probe tokens an edit can change, and their new answers; the
// count changes per overlay entry it reads (EntryChanges::summed).
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <tuple>

#include "base/huge_pages.h"
#include "edit/edited_memory_state.h"
#include "edit/edited_vector_index.h"
#include "edit/incremental_ib1.h"
#include "edit/incremental_igtree.h"
#include "edit/incremental_tribl2.h"
#include "edit/probe_paths.h"
#include "edit/probe_queries.h"
#include "edit/vector_overlay.h"
#include "memlens/edited_memory.h"

namespace memlens {

namespace {

// Edited vectors beyond which every probe token is re-predicted rather than bounded one by one,
// when the bound measures every pair (EditedVectorIndex::measuresPairs()).
constexpr size_t kMaxBoundedVectors = 2048;

// Per class id: 1 when its total or its place in the class order differs between `a` and `b`.
std::vector<uint8_t> movedClasses(const ClassOrder& a, const ClassOrder& b) {
  std::vector<uint8_t> moved(std::max(a.indexOfId.size(), b.indexOfId.size()), 0);
  const auto at = [](const ClassOrder& o, uint32_t id) {
    const uint32_t i = id < o.indexOfId.size() ? o.indexOfId[id] : InstanceBase::kNone;
    return std::pair<uint32_t, uint64_t>(i, i == InstanceBase::kNone ? 0 : o.totals[i]);
  };
  for (uint32_t id = 0; id < moved.size(); ++id) moved[id] = at(a, id) != at(b, id) ? 1 : 0;
  return moved;
}

}  // namespace

// An IGTree answer is the last node of its walk, so an edit changes only the answers of the
// tokens under the nodes it rebuilt or whose answer it moved: found by path, not by asking each of
// the probe tokens (9.1M at 100M instances) whether its path passes one.
Status EditedMemory::predictTreeProbe(Preview::Pending& p, const Preview::Pending* from,
                                      JobControl* job) const {
  const auto& engine = static_cast<const IncrementalIgTree&>(*p.engine);
  std::vector<uint32_t> tokens;
  if (from) {
    const uint32_t* covered = nullptr;  // the end of the last range taken
    for (const IncrementalIgTree::Prefix& prefix : engine.rebuilt()) {
      const std::span<const uint32_t> under = probePaths_->under(prefix);
      // Sorted prefixes: a range starting inside the last one is an extension's, inside it.
      if (under.empty() || (covered && under.data() < covered)) continue;
      tokens.insert(tokens.end(), under.begin(), under.end());
      covered = under.data() + under.size();
    }
  }
  const size_t n = from ? tokens.size() : probe_.size();
  std::vector<uint32_t> predictions = from ? from->predictions : std::vector<uint32_t>(n);
  std::atomic<bool> cancelled{false};
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    for (size_t k = range.begin(); k != range.end(); ++k) {
      const size_t i = from ? tokens[k] : k;
      predictions[i] = engine.classOf(probe_.instance(i).data());
    }
  });
  if (cancelled) return Status::cancelled();
  p.predictions = std::move(predictions);
  return Status::ok();
}

EditedMemory::EntryChanges EditedMemory::EntryChanges::summed(std::vector<Move> moves) {
  EntryChanges out;
  if (moves.empty()) return out;
  const auto [lo, hi] = std::minmax_element(
      moves.begin(), moves.end(), [](const Move& a, const Move& b) { return a.entry < b.entry; });
  const uint32_t first = lo->entry;
  const size_t range = size_t{hi->entry} - first + 1;
  out.counts.reserve(moves.size());
  adviseHugePages(out.counts.data(), moves.size() * sizeof(out.counts[0]));
  // Reserved untouched, the room costs no pages.
  out.entries.reserve(std::min(range, moves.size()));
  out.start.reserve(out.entries.capacity() + 1);
  // Per entry of the range, its moves' (class, change) in edit order, then summed per class in
  // place: a counting sort when the moves fill a fair part of the range (a document removal's
  // 731k moves took a comparison sort 0.15 s), else a comparison sort.
  std::vector<size_t> start;
  start.reserve(out.entries.capacity() + 1);
  if (range > 4 * moves.size()) {
    std::sort(moves.begin(), moves.end(),
              [](const Move& a, const Move& b) { return a.entry < b.entry; });
    for (const Move& m : moves) {
      if (out.entries.empty() || out.entries.back() != m.entry) {
        out.entries.push_back(m.entry);
        start.push_back(out.counts.size());
      }
      out.counts.emplace_back(m.classId, m.delta);
    }
  } else {
    std::vector<size_t> at = hugePageVector<size_t>(range + 1, 0);
    for (const Move& m : moves) ++at[m.entry - first + 1];
    for (size_t e = 1; e <= range; ++e) at[e] += at[e - 1];
    out.counts.resize(moves.size());
    for (size_t e = 0; e < range; ++e)
      if (at[e] != at[e + 1]) {
        out.entries.push_back(first + static_cast<uint32_t>(e));
        start.push_back(at[e]);
      }
    for (const Move& m : moves) out.counts[at[m.entry - first]++] = {m.classId, m.delta};
  }
  start.push_back(out.counts.size());
  // Each entry's few changes (mostly one) summed per class, compacted.
  size_t w = 0;
  for (size_t i = 0; i < out.entries.size(); ++i) {
    const auto begin = out.counts.begin() + static_cast<std::ptrdiff_t>(start[i]);
    const auto end = out.counts.begin() + static_cast<std::ptrdiff_t>(start[i + 1]);
    std::sort(begin, end, [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto it = begin; it != end;) {
      const uint32_t c = it->first;
      int64_t n = 0;
      for (; it != end && it->first == c; ++it) n += it->second;
      if (n != 0) out.counts[w++] = {c, n};
    }
    out.start.push_back(w);
  }
  out.counts.resize(w);
  return out;
}

Status EditedMemory::predictProbe(Preview::Pending& p, const Preview::Pending* from,
                                  const EntryChanges& edited, JobControl* job) const {
  if (options_.algorithm == Algorithm::kIgTree) return predictTreeProbe(p, from, job);
  if (!p.queries) {
    auto queries = ProbeQueries::of(probe_, job);
    if (!queries) return queries.status();
    p.queries = std::move(*queries);
  }
  const ProbeQueries& queries = *p.queries;
  // Which queries an edit can change: those with an edited stored vector within their reach or
  // deeper along TRIBL2's walk (IncrementalClassifier::Bound) and those whose tie fell to a
  // class whose total or order moved.
  const IncrementalClassifier& engine = *p.engine;
  std::vector<const uint32_t*> vectors;
  if (from) {
    vectors.reserve(edited.entries.size());
    for (uint32_t e : edited.entries) vectors.push_back(p.overlay->featuresOf(e));
  }
  // IB1 and TRIBL2 re-vote a query an edit reaches from the buckets its last vote read and the
  // changes within their reach, searching only when they do not tell (IncrementalIb1::revote).
  const auto* tribl2 = options_.algorithm == Algorithm::kTribl2
                           ? static_cast<const IncrementalTribl2*>(&engine)
                           : nullptr;
  const auto* ib1 = tribl2 ? nullptr : static_cast<const IncrementalIb1*>(&engine);
  const IncrementalIb1* search = tribl2 ? &tribl2->edited() : ib1;
  // A first edit's entries are all of the overlay's: its index's groups serve both.
  const auto entryCount = static_cast<uint32_t>(edited.entries.size());
  const bool firstEntries = from && entryCount > 0 && edited.entries.front() == 0 &&
                            edited.entries.back() + 1 == entryCount;
  const EditedVectorIndex near(
      std::move(vectors), probe_.width,
      [&engine](const uint32_t* a, const uint32_t* b) { return engine.distance(a, b); },
      firstEntries
          ? [search, entryCount](
                uint32_t pattern) { return search->index().groupsOfFirst(entryCount, pattern); }
          : EditedVectorIndex::SharedGroups{});
  const size_t n = queries.size();
  const bool all = !from || (near.measuresPairs() && edited.entries.size() > kMaxBoundedVectors);
  const std::vector<uint8_t> moved =
      all ? std::vector<uint8_t>{} : movedClasses(from->engine->classes(), p.engine->classes());
  const bool anyMoved = std::find(moved.begin(), moved.end(), 1) != moved.end();
  const auto tieMoved = [&](const std::vector<uint32_t>& tied) {
    for (uint32_t c : tied)
      if (c == Prediction::kNoClass ? anyMoved : c < moved.size() && moved[c]) return true;
    return false;
  };
  std::vector<uint32_t> answers = all ? std::vector<uint32_t>(n) : from->answers;
  std::vector<double> reach = all ? std::vector<double>(n) : from->reach;
  using Masks = std::vector<std::pair<uint32_t, uint32_t>>;
  Masks masks = !tribl2 ? Masks{} : all ? Masks(n) : from->masks;
  std::vector<std::vector<uint32_t>> tied =
      all ? std::vector<std::vector<uint32_t>>(n) : from->tiedOn;
  using Votes = std::vector<std::shared_ptr<const IncrementalIb1::Vote>>;
  Votes votes = all || from->votes.size() != n ? Votes(n) : from->votes;
  std::atomic<bool> cancelled{false}, anyChanged{all};
  // The distributions give IB1's and TRIBL2's ties.
  PredictOptions options;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), [&](const auto& range) {
    if (cancelled || (cancelRequested(job) && (cancelled = true))) return;
    Prediction out;
    IncrementalClassifier::Bound bound;
    std::vector<IncrementalIb1::Change> changes;
    std::shared_ptr<const IncrementalIb1::Vote> vote;
    for (size_t q = range.begin(); q != range.end(); ++q) {
      const uint32_t* query = queries.query(q);
      IncrementalClassifier::Bound was;
      was.reach = reach[q];
      if (tribl2) std::tie(was.required, was.deeper) = masks[q];
      const bool deeper = !all && was.deeper != 0 &&
                          near.within(query, std::numeric_limits<double>::infinity(), was.deeper);
      if (!all && !deeper && !tieMoved(tied[q]) && !near.within(query, was.reach, was.required))
        continue;
      bool revoted = false;
      if (!all && !deeper && votes[q]) {
        changes.clear();
        near.forEachWithin(query, was.reach, was.required, [&](uint32_t v, double d) {
          for (const auto& [c, delta] : edited.of(v)) changes.push_back({d, c, delta});
        });
        revoted = tribl2 ? tribl2->revote(*votes[q], was, changes, options, out, bound, vote)
                         : ib1->revote(*votes[q], changes, options, out, bound, vote);
      }
      if (!revoted && tribl2) tribl2->answer(query, options, out, bound, vote);
      if (!revoted && ib1) ib1->answer(query, options, out, bound, vote);
      votes[q] = std::move(vote);
      if (answers[q] != out.classId) anyChanged = true;
      answers[q] = out.classId;
      reach[q] = bound.reach;
      if (tribl2) masks[q] = {bound.required, bound.deeper};
      tied[q] = std::move(bound.tiedOn);
    }
  });
  if (cancelled) return Status::cancelled();
  if (anyChanged) {
    p.predictions.resize(queries.tokens());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, queries.tokens(), 4096), [&](const auto& r) {
      for (size_t t = r.begin(); t != r.end(); ++t) p.predictions[t] = answers[queries.of(t)];
    });
  } else {
    p.predictions = from->predictions;
  }
  p.answers = std::move(answers);
  p.reach = std::move(reach);
  p.masks = std::move(masks);
  p.tiedOn = std::move(tied);
  p.votes = std::move(votes);
  return Status::ok();
}

}  // namespace memlens
