#pragma once

// EditedMemory's private parts, shared by its files (edited_memory.cpp, edited_memory_apply.cpp).

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "edit/edited_rows.h"
#include "memlens/edited_memory.h"

namespace memlens {

struct EditedMemory::State {
  EditedRows rows;  // base instances, then inserted ones; classes are the current labels
  uint64_t inserted = 0;
  uint64_t liveCount = 0;  // kept by the incremental engine only
  // Base instances a merge gave other features (the incremental tree engines find instances by
  // their first tree value).
  std::vector<uint32_t> refeatured;
};

// What an edit does to one instance of State::all (an edit resolves to instances removed and
// instances added: a relabel removes the old class and adds the new, a merge the old features and
// the new). `existed` is false for an instance the edit inserted.
struct EditedMemory::Change {
  size_t index = 0;
  bool existed = true;
  uint8_t liveBefore = 0, liveAfter = 0;
  uint32_t classBefore = 0, classAfter = 0;
  std::vector<uint32_t> featuresBefore, featuresAfter;
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

}  // namespace memlens
