#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/memory_edit.h"

namespace memlens {

// The stored vectors a whole-vector prune removes, as planPrune() chose them on `memory` (its
// InstanceBase's ids), beside the kPrune edit naming their instances. A preview on that memory,
// unedited, answers from them without resolving a change per instance (at 100M instances a
// count-threshold stop removes 1.9M); any other memory, or an edit whose sources differ, uses
// the sources.
struct PrunedVectors {
  std::weak_ptr<const Classifier> memory;
  std::vector<bool> removed;  // by stored vector
  uint32_t vectors = 0;       // how many are removed, and the instances they hold
  uint64_t instances = 0;
  std::vector<uint64_t> sources;  // the edit's, as planned

  // Whether `edit` is the one planned with these vectors.
  bool plans(const MemoryEdit& edit) const {
    return edit.kind == EditKind::kPrune && edit.sources == sources;
  }
};

}  // namespace memlens
