#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// Which stored vectors of an InstanceBase hold a token, in their context or among their classes:
// per token the ids in ascending order, so that picking the vectors of one token (the Memory
// tab's filter) is a lookup, not a scan of millions of vectors. Built in two passes over the
// memory (a count, then a fill); immutable, so concurrent const calls are safe.
class VectorTokenIndex {
 public:
  // Cancellable: on cancel, Status::cancelled().
  static Result<VectorTokenIndex> build(const InstanceBase& base, JobControl* job = nullptr);

  // The vectors with `value` at any feature, each once, ascending.
  std::span<const uint32_t> withValue(uint32_t value) const;
  // The vectors whose distribution holds class index `classIndex`, ascending.
  std::span<const uint32_t> withClass(uint32_t classIndex) const;

 private:
  // One list per key: the ids of key k are ids[start[k], start[k + 1]).
  struct Lists {
    std::vector<uint64_t> start;
    std::vector<uint32_t> ids;
    std::span<const uint32_t> of(uint32_t key) const;
  };

  Lists values_;
  Lists classes_;
};

}  // namespace memlens
