#pragma once

// EditedMemory's private parts, shared by its files (edited_memory.cpp, edited_memory_apply.cpp,
// edited_memory_probe.cpp).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "edit/edited_rows.h"
#include "edit/incremental_classifier.h"
#include "edit/incremental_ib1.h"
#include "edit/maintained_counts.h"
#include "edit/rows_by_key.h"
#include "memlens/edited_memory.h"

namespace memlens {

class ProbeQueries;
class VectorOverlay;

struct EditedMemory::State {
  EditedRows rows;  // base instances, then inserted ones; classes are the current labels
  uint64_t inserted = 0;
  uint64_t liveCount = 0;  // kept by the incremental engine only
  // Base instances a merge gave other features (the incremental tree engines find instances by
  // their first tree value, and edits by stored vector their instances by the base's vectors).
  std::vector<uint32_t> refeatured;
  // The incremental engine's class order, kept per edit rather than counted over every instance:
  // per class id, its live instances and the index of the first (kNoRow: none), and the base
  // instances an edit gave another class (they are not in their new class's base list).
  static constexpr size_t kNoRow = SIZE_MAX;
  std::vector<uint64_t> classTotals;
  std::vector<size_t> firstOfClass;
  std::vector<uint32_t> relabeled;
  // Recomputed weights: the counts they are computed from (null with fixed weights).
  std::shared_ptr<const MaintainedCounts> counts;

  // Brings classTotals and firstOfClass up to date after `changes` (taken back when `undo`),
  // which the rows already show, and gives the class order they make: what counting every live
  // instance gives, at the cost of what changed. `classRows`: the base instances (`base`) of each
  // class id, where a class's next live instance is found.
  ClassOrder classOrder(std::span<const Changes> changes, bool undo, const InstanceSet& base,
                        const RowsByKey& classRows);
  // The class order of `totals` and `firstOfClass` (as classTotals and firstOfClass).
  static ClassOrder orderOf(const std::vector<uint64_t>& totals,
                            const std::vector<size_t>& firstOfClass);
  // The first row from `from` on holding a live instance of class id `c` for which `keeps(row)`
  // (kNoRow: none), looked for where one may be: the class's base rows (`classRows`), the rows
  // edits relabelled and the inserted ones (past the `baseRows` base rows).
  template <typename Keeps>
  size_t firstRow(uint32_t c, size_t from, size_t baseRows, const RowsByKey& classRows,
                  Keeps keeps) const {
    const auto isOf = [&](size_t row) {
      return rows.live(row) && rows.classOf(row) == c && keeps(row);
    };
    size_t first = kNoRow;
    const std::span<const uint32_t> of = classRows.of(c);
    for (auto it = std::lower_bound(of.begin(), of.end(), from); it != of.end(); ++it)
      if (isOf(*it)) {
        first = *it;
        break;
      }
    for (uint32_t r : relabeled)
      if (r >= from && r < first && isOf(r)) first = r;
    for (size_t r = std::max(baseRows, from); r < std::min(rows.size(), first); ++r)
      if (isOf(r)) first = r;
    return first;
  }
};

// What an edit does to one instance of State::all (an edit resolves to instances removed and
// instances added: a relabel removes the old class and adds the new, a merge the old features and
// the new). `existed` is false for an instance the edit inserted.
struct EditedMemory::Change {
  size_t index = 0;
  uint32_t classBefore = 0, classAfter = 0;
  // The row's features: vectors of its edit's Changes::features (see there).
  uint32_t featuresBefore = 0, featuresAfter = 0;
  bool existed = true;
  uint8_t liveBefore = 0, liveAfter = 0;
};

// What one edit did: one Change per instance, in index order, and the features they name in one
// array, a vector shared by the consecutive changes of one stored vector and by before and after
// unless a merge moved them. A change names its vectors by number (32 bytes a change, where a
// pointer to a shared array in each took 88: a document's 731k changes touched 64 MB of fresh
// pages, and copied the pointer twice each).
struct EditedMemory::Changes {
  std::vector<Change> rows;
  size_t width = 0;
  std::vector<uint32_t> features;  // `width` values per vector

  std::span<const uint32_t> vector(uint32_t v) const {
    return {features.data() + size_t{v} * width, width};
  }
  std::span<const uint32_t> before(const Change& c) const { return vector(c.featuresBefore); }
  std::span<const uint32_t> after(const Change& c) const { return vector(c.featuresAfter); }
};

// The overlay entries an edit changed (ascending) and how: per entry, its count changes (class id,
// change != 0, ascending by class), all in one array. Summed from the edit's moves rather than
// by comparing each entry's counts with those it had before (in the previous overlay or the
// base's stored vector: a base lookup per entry, most of a document removal's half million on
// cold pages).
struct EditedMemory::EntryChanges {
  struct Move {
    uint32_t entry, classId;
    int64_t delta;
  };
  // From the moves of one edit, in any order.
  static EntryChanges summed(std::vector<Move> moves);
  std::span<const std::pair<uint32_t, int64_t>> of(size_t i) const {
    return {counts.data() + start[i], start[i + 1] - start[i]};
  }

  std::vector<uint32_t> entries;
  std::vector<size_t> start{0};  // per entry, its first change; then the end
  std::vector<std::pair<uint32_t, int64_t>> counts;
};

// The live instances of a state, listed when first asked for (the incremental engine's previews
// do not need them).
struct EditedMemory::Kept {
  explicit Kept(std::shared_ptr<const State> s) : state(std::move(s)) {}
  const InstanceSet& get() {
    std::call_once(once, [this] {
      if (!state) return;
      set = state->rows.liveInstances();
    });
    return set;
  }

  std::shared_ptr<const State> state;  // null when `set` was given
  std::once_flag once;
  InstanceSet set;
};

struct EditedMemory::Preview::Pending {
  std::shared_ptr<const Classifier> classifier;
  std::shared_ptr<Kept> kept;
  std::vector<uint32_t> predictions;  // by probe token
  uint32_t slots = 0;
  uint64_t instanceCount = 0;
  bool retrained = false;     // trained from the edited instances rather than edited in place
  bool orderChanged = false;  // recomputed weights moved an order the engine needs (retrained)
  // The incremental engine's state: the instances, the trained base it edits and the overlay of
  // what differs, the probe tokens' reach and ties (what bounds which ones an edit can change),
  // and what the previewed edit changed. The probe set is answered by distinct query.
  std::shared_ptr<const State> state;
  std::shared_ptr<const Classifier> base;
  std::shared_ptr<const VectorOverlay> overlay;
  std::shared_ptr<const IncrementalClassifier> engine;
  std::shared_ptr<const ProbeQueries> queries;
  std::vector<uint32_t> answers;  // per query, as the bounds (see IncrementalClassifier::Bound)
  std::vector<double> reach;
  std::vector<std::pair<uint32_t, uint32_t>> masks;  // TRIBL2's: (required, deeper); else empty
  std::vector<std::vector<uint32_t>> tiedOn;         // see tiedClasses()
  // IB1 and TRIBL2: per query, the buckets its vote read (null: not kept), re-voted without a
  // search.
  std::vector<std::shared_ptr<const IncrementalIb1::Vote>> votes;
  Changes changes;
  // A prune's preview answers the probe set without building the memory it leaves (see
  // answerPruned()): the class order its engine takes, until commit builds it (buildPruned()).
  std::optional<ClassOrder> unbuilt;
};

}  // namespace memlens
