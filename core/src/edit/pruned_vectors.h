#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/job_control.h"
#include "memlens/memory_edit.h"
#include "memlens/result.h"

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
  // The edit's, as planned. Unlisted (here and in the edit: empty) when planPrune() was asked
  // not to list them: listedEdit() lists them when a preview or commit needs them.
  std::vector<uint64_t> sources;
  bool listed = true;

  // Whether `edit` is the one planned with these vectors.
  bool plans(const MemoryEdit& edit) const {
    return edit.kind == EditKind::kPrune && edit.sources == sources;
  }
};

// The sources of the stored vectors of `base` that `remove` marks, ascending. Honours cancel.
Result<std::vector<uint64_t>> sourcesOf(const InstanceBase& base, const std::vector<bool>& remove,
                                        JobControl* job);

// Whether `edit` is a prune planned with its sources unlisted.
bool unlisted(const MemoryEdit& edit);

// `edit` (unlisted()) with its sources listed from the memory it was planned on, which must
// still be held (the current memory or one kept for undo), and no plan. Honours cancel.
Result<MemoryEdit> listedEdit(const MemoryEdit& edit, JobControl* job);

}  // namespace memlens
