// EditedMemory::applyEdit: what one edit does to the instances of a state; the class order the
// state keeps after it.
#include <algorithm>
#include <string>

#include "base/huge_pages.h"
#include "edit/edited_memory_state.h"
#include "memlens/edited_memory.h"

namespace memlens {

namespace {

std::string describeFeatures(const std::vector<uint32_t>& features) {
  std::string s = "(";
  for (size_t i = 0; i < features.size(); ++i) {
    if (i) s += ' ';
    s += std::to_string(features[i]);
  }
  return s + ")";
}

}  // namespace

Status EditedMemory::applyEdit(State& state, const MemoryEdit& edit, Changes* changes) const {
  const auto width = static_cast<size_t>(base_->width);
  const uint32_t vocabSize = corpus_->vocab.size();
  const auto classOk = [&] { return edit.classId < vocabSize; };
  if ((edit.kind == EditKind::kRelabelVector || edit.kind == EditKind::kRelabelInstance ||
       edit.kind == EditKind::kInsertInstance) &&
      !classOk())
    return Status::invalidArgument("class id " + std::to_string(edit.classId) +
                                   " is not in the vocabulary");
  if (changes) changes->width = width;
  // `f`'s vector in the changes' features, `last`'s when equal (consecutive changes mostly hold
  // one stored vector).
  const auto shared = [&](std::span<const uint32_t> f, const uint32_t* last) {
    if (last && std::ranges::equal(changes->vector(*last), f)) return *last;
    const auto added = static_cast<uint32_t>(changes->features.size() / std::max<size_t>(width, 1));
    changes->features.insert(changes->features.end(), f.begin(), f.end());
    return added;
  };
  // Room for `more` changes; a document's 731k change records (23 MB) in huge pages, a 512th of
  // the page faults.
  const auto reserve = [&](size_t more) {
    std::vector<Change>& rows = changes->rows;
    rows.reserve(rows.size() + more);
    adviseHugePages(rows.data(), rows.capacity() * sizeof(Change));
    changes->features.reserve(changes->features.size() + more * width);
  };
  // Notes instance i as it is before the edit changes it.
  const auto touch = [&](size_t i) {
    if (!changes) return;
    const uint32_t features =
        shared(state.rows.features(i),
               changes->rows.empty() ? nullptr : &changes->rows.back().featuresBefore);
    Change& c = changes->rows.emplace_back();
    c.index = i;
    c.liveBefore = state.rows.live(i);
    c.classBefore = state.rows.classOf(i);
    c.featuresBefore = features;
  };
  // Applies `change` to every instance of `rows` (ascending) `select` picks; fails when it picks
  // none.
  const auto forEach = [&](const std::vector<size_t>& rows, auto select, auto change,
                           const std::string& none) {
    size_t hits = 0;
    if (changes) reserve(rows.size());
    for (size_t i : rows) {
      if (!select(i)) continue;
      touch(i);
      change(i);
      ++hits;
    }
    return hits ? Status::ok() : Status::invalidArgument(none);
  };
  const auto isVector = [&](size_t i) {
    return std::equal(edit.features.begin(), edit.features.end(), state.rows.features(i).begin());
  };
  size_t cursor = 0;  // ascending sources (a prune's) are found onward from the last
  const auto instanceIndex = [&](uint64_t source) { return rowOfSource(state, source, &cursor); };
  const auto relabel = [&](size_t i, uint32_t classId) {
    if (i < base_->size() && state.rows.classOf(i) == base_->classes[i])
      state.relabeled.push_back(static_cast<uint32_t>(i));
    state.rows.setClass(i, classId);
  };
  const auto setLive = [&](bool v) { return [&state, v](size_t i) { state.rows.setLive(i, v); }; };

  const auto apply = [&]() -> Status {
    switch (edit.kind) {
      case EditKind::kDeleteVector:
      case EditKind::kRestoreVector:
      case EditKind::kRelabelVector: {
        if (edit.features.size() != width)
          return Status::invalidArgument("a stored vector has " + std::to_string(width) +
                                         " features, the edit names " +
                                         std::to_string(edit.features.size()));
        const bool restore = edit.kind == EditKind::kRestoreVector;
        const auto pick = [&](size_t i) { return state.rows.live(i) == !restore && isVector(i); };
        const std::string none = "no " + std::string(restore ? "deleted" : "stored") + " vector " +
                                 describeFeatures(edit.features);
        const std::vector<size_t> rows = rowsOfVector(state, edit.features);
        if (edit.kind == EditKind::kRelabelVector)
          return forEach(
              rows, pick, [&](size_t i) { relabel(i, edit.classId); }, none);
        return forEach(rows, pick, setLive(restore), none);
      }
      case EditKind::kDeleteInstance:
      case EditKind::kRestoreInstance:
      case EditKind::kRelabelInstance: {
        auto i = instanceIndex(edit.source);
        if (!i) return i.status();
        const bool wantLive = edit.kind != EditKind::kRestoreInstance;
        if (state.rows.live(*i) != wantLive)
          return Status::invalidArgument("instance " + std::to_string(edit.source) + " is " +
                                         (wantLive ? "deleted" : "not deleted"));
        touch(*i);
        if (edit.kind == EditKind::kRelabelInstance) {
          relabel(*i, edit.classId);
        } else {
          state.rows.setLive(*i, !wantLive);
        }
        return Status::ok();
      }
      case EditKind::kInsertInstance: {
        if (edit.features.size() != width)
          return Status::invalidArgument("an instance has " + std::to_string(width) +
                                         " features, the edit gives " +
                                         std::to_string(edit.features.size()));
        for (uint32_t f : edit.features)
          if (f >= vocabSize)
            return Status::invalidArgument("feature id " + std::to_string(f) +
                                           " is not in the vocabulary");
        state.rows.append(edit.features, edit.classId, kInsertedSource | state.inserted++, false);
        touch(state.rows.size() - 1);
        if (changes) changes->rows.back().existed = false;
        state.rows.setLive(state.rows.size() - 1, true);
        return Status::ok();
      }
      case EditKind::kRemoveDocument:
      case EditKind::kRestoreDocument: {
        if (edit.document >= corpus_->corpus->documentCount())
          return Status::invalidArgument("no document " + std::to_string(edit.document) +
                                         " (the corpus has " +
                                         std::to_string(corpus_->corpus->documentCount()) + ")");
        const bool restore = edit.kind == EditKind::kRestoreDocument;
        std::vector<size_t> rows;
        if (edit.document < tokensOf_.size())
          for (const auto& [begin, end] : tokensOf_[edit.document]) {
            rowsWithSources(begin, end, rows);
          }
        std::sort(rows.begin(), rows.end());
        return forEach(
            rows, [&](size_t i) { return state.rows.live(i) == !restore; }, setLive(restore),
            "document " + std::to_string(edit.document) + " has no " +
                (restore ? "removed" : "remaining") + " instances in the memory");
      }
      case EditKind::kKeepPrefix: {
        // Inserted instances' sources are above every corpus position: they go too.
        std::vector<size_t> rows;
        rowsWithSources(edit.source, UINT64_MAX, rows);
        for (size_t i = base_->size(); i < state.rows.size(); ++i) rows.push_back(i);
        return forEach(
            rows,
            [&](size_t i) { return state.rows.live(i) && state.rows.source(i) >= edit.source; },
            setLive(false),
            "no instance of the memory was made at or after token " + std::to_string(edit.source));
      }
      case EditKind::kPrune:
        if (changes) reserve(edit.sources.size());
        for (uint64_t source : edit.sources) {
          auto i = instanceIndex(source);
          if (!i) return i.status();
          if (!state.rows.live(*i))
            return Status::invalidArgument("pruning: instance " + std::to_string(source) +
                                           " is already deleted");
          touch(*i);
          state.rows.setLive(*i, false);
        }
        return Status::ok();
      case EditKind::kMerge:
        if (edit.sources.empty() || edit.targets.size() != edit.sources.size())
          return Status::invalidArgument("a merge names one target instance per merged instance");
        for (size_t k = 0; k < edit.sources.size(); ++k) {
          auto i = instanceIndex(edit.sources[k]);
          if (!i) return i.status();
          auto t = instanceIndex(edit.targets[k]);
          if (!t) return t.status();
          if (!state.rows.live(*i) || !state.rows.live(*t))
            return Status::invalidArgument(
                "merging: instance " +
                std::to_string(state.rows.live(*i) ? edit.targets[k] : edit.sources[k]) +
                " is deleted");
          touch(*i);
          if (*i < base_->size() && std::find(state.refeatured.begin(), state.refeatured.end(),
                                              *i) == state.refeatured.end())
            state.refeatured.push_back(static_cast<uint32_t>(*i));
          const auto to = state.rows.features(*t);
          const std::vector<uint32_t> target(to.begin(), to.end());
          state.rows.setFeatures(*i, target);
        }
        return Status::ok();
    }
    return Status::internal("unknown edit kind");
  };
  if (Status s = apply(); !s || !changes) return s;
  // One entry per instance (a merge may move one twice), with the row the edit left; most edits
  // touch rows in order, once each.
  std::vector<Change>& rows = changes->rows;
  if (std::adjacent_find(rows.begin(), rows.end(), [](const Change& x, const Change& y) {
        return x.index >= y.index;
      }) != rows.end()) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Change& x, const Change& y) { return x.index < y.index; });
    rows.erase(std::unique(rows.begin(), rows.end(),
                           [](const Change& x, const Change& y) { return x.index == y.index; }),
               rows.end());
  }
  for (Change& c : rows) {
    c.liveAfter = state.rows.live(c.index);
    c.classAfter = state.rows.classOf(c.index);
    c.featuresAfter = edit.kind == EditKind::kMerge
                          ? shared(state.rows.features(c.index), &c.featuresBefore)
                          : c.featuresBefore;  // only a merge moves features
    state.liveCount += c.liveAfter;
    state.liveCount -= c.liveBefore;
  }
  return Status::ok();
}

ClassOrder EditedMemory::State::classOrder(std::span<const Changes> changes, bool undo,
                                           const InstanceSet& base, const RowsByKey& classRows) {
  // Per class the edit touches, the lowest row that may now be its first live one.
  std::vector<size_t> from(classTotals.size(), kNoRow);
  std::vector<uint32_t> touched;
  const auto note = [&](uint32_t c, size_t row) {
    if (c >= classTotals.size()) {
      classTotals.resize(size_t{c} + 1, 0);
      firstOfClass.resize(size_t{c} + 1, kNoRow);
      from.resize(size_t{c} + 1, kNoRow);
    }
    if (from[c] == kNoRow) touched.push_back(c);
    from[c] = std::min({from[c], firstOfClass[c], row});
  };
  for (const Changes& list : changes)
    for (const Change& c : list.rows) {
      if (undo ? c.liveAfter : c.liveBefore) {
        const uint32_t gone = undo ? c.classAfter : c.classBefore;
        note(gone, kNoRow);
        --classTotals[gone];
      }
      if (undo ? c.liveBefore : c.liveAfter) {
        const uint32_t come = undo ? c.classBefore : c.classAfter;
        note(come, c.index);
        ++classTotals[come];
      }
    }
  // Rows below from[c] held no live instance of c before the edit, nor got one from it.
  for (uint32_t c : touched)
    firstOfClass[c] = classTotals[c] == 0 ? kNoRow
                                          : firstRow(c, from[c], base.size(), classRows,
                                                     [](size_t) { return true; });
  return orderOf(classTotals, firstOfClass);
}

ClassOrder EditedMemory::State::orderOf(const std::vector<uint64_t>& totals,
                                        const std::vector<size_t>& firstOfClass) {
  ClassOrder o;
  for (uint32_t c = 0; c < totals.size(); ++c)
    if (totals[c] > 0) o.ids.push_back(c);
  std::sort(o.ids.begin(), o.ids.end(),
            [&](uint32_t a, uint32_t b) { return firstOfClass[a] < firstOfClass[b]; });
  o.indexOfId.assign(o.ids.empty() ? 0 : size_t{*std::max_element(o.ids.begin(), o.ids.end())} + 1,
                     InstanceBase::kNone);
  for (uint32_t i = 0; i < o.ids.size(); ++i) {
    o.indexOfId[o.ids[i]] = i;
    o.totals.push_back(totals[o.ids[i]]);
  }
  return o;
}

}  // namespace memlens
