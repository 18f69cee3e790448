#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/instance_base.h"

namespace memlens {

// Groups the stored vectors of an InstanceBase by their values on one subset of the features
// (a bit mask over feature positions): find() gives, for a query, the group of stored vectors
// that agree with it on every feature of the subset. Members are kept as a linked list so that
// the index grows in place when vectors are added. Large groups also keep their summed class
// distribution, so that callers never have to walk thousands of members.
// Not thread-safe for build()/addVector(); concurrent find() calls are safe.
class SubsetIndex {
 public:
  static constexpr uint32_t kEnd = 0xFFFFFFFFu;
  static constexpr uint32_t kCacheThreshold = 48;

  struct Group {
    uint32_t head = kEnd;  // newest member; members are linked through next()
    uint32_t count = 0;    // stored vectors
    uint32_t cache = 0;    // 1-based index into caches_, 0 = none
  };

  SubsetIndex(const InstanceBase& base, uint32_t mask);

  // Indexes stored vectors [vectorCount before, base.vectorCount()).
  void addNewVectors();
  // A class count was added to stored vector `id` (already indexed); keeps caches exact.
  void countAdded(uint32_t id, uint32_t classIndex);

  const Group* find(const uint32_t* query) const;
  uint32_t next(uint32_t id) const { return next_[id]; }
  // Summed class counts of a group's members, or empty when the group keeps none.
  std::span<const ClassCount> cachedDistribution(const Group& g) const {
    if (g.cache == 0) return {};
    return caches_[g.cache - 1];
  }
  uint32_t mask() const { return mask_; }

 private:
  uint64_t hashOf(const uint32_t* values) const;
  bool sameProjection(const uint32_t* a, const uint32_t* b) const;
  void grow();
  void addToCache(std::vector<ClassCount>& cache, uint32_t classIndex, uint32_t count);

  const InstanceBase& base_;
  uint32_t mask_;
  std::vector<int> features_;    // positions in the mask
  uint32_t indexed_ = 0;         // vectors indexed so far
  std::vector<uint32_t> slots_;  // group index + 1, 0 = empty
  std::vector<Group> groups_;
  std::vector<uint32_t> next_;  // per stored vector
  std::vector<std::vector<ClassCount>> caches_;
};

}  // namespace memlens
