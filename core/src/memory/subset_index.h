#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "base/lazy_checked_array.h"
#include "memlens/instance_base.h"
#include "memlens/status.h"
#include "memlens/storage.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// Groups the stored vectors of an InstanceBase by their values on one subset of the features
// (a bit mask over feature positions): find() gives, for a query, the group of stored vectors
// that agree with it on every feature of the subset. Members are kept as a linked list so that
// the index grows in place when vectors are added. Large groups also keep their summed class
// distribution, so that callers never have to walk thousands of members.
// An index read from a memory file views the file's arrays in place (nothing is built on
// opening); its readers stay inside the arrays whatever the bytes hold (a damaged file gives
// wrong groups, never a read out of bounds or an endless walk), and the first growth rebuilds it
// from the instance base.
// Not thread-safe for build()/addVector(); concurrent find() calls are safe.
class SubsetIndex {
 public:
  static constexpr uint32_t kEnd = 0xFFFFFFFFu;
  static constexpr uint32_t kCacheThreshold = 48;

  struct Group {
    uint32_t head = kEnd;  // newest member; members are linked through next()
    uint32_t count = 0;    // stored vectors
    uint32_t cache = 0;    // 1-based index into the caches, 0 = none
  };

  // An index as a memory file holds it, not yet bound to its instance base.
  struct Stored {
    uint32_t mask = 0;
    Storage<uint32_t> slots;
    Storage<Group> groups;
    Storage<uint32_t> next;
    Storage<uint64_t> cacheStart;  // per cache, then the end
    Storage<ClassCount> cacheFlat;
    LazyCheckedArray<ClassCount> cacheChecks;  // class indices below the class count

    // Every element, for verifyMemory(): what readers would otherwise step around.
    Status checkAll(uint32_t vectors) const;
  };

  SubsetIndex(const InstanceBase& base, uint32_t mask);
  // The index `stored` over `base`, the instance base it was saved with.
  SubsetIndex(const InstanceBase& base, Stored stored);

  // Indexes stored vectors [vectorCount before, base.vectorCount()).
  void addNewVectors();
  // A class count was added to stored vector `id` (already indexed); keeps caches exact.
  void countAdded(uint32_t id, uint32_t classIndex);

  const Group* find(const uint32_t* query) const;
  // Calls fn(id) for the members of `g` (a group find() returned), newest first, until fn
  // returns false.
  template <typename Fn>
  void forEachMember(const Group& g, Fn&& fn) const {
    // A stored index's links are followed at most `count` steps and never past the vectors.
    uint32_t id = g.head;
    for (uint32_t i = 0; i < g.count && id < indexed_ && fn(id); ++i) id = next_[id];
  }
  // Summed class counts of a group's members, or empty when the group keeps none.
  std::span<const ClassCount> cachedDistribution(const Group& g) const;
  uint32_t mask() const { return mask_; }
  // Approximate heap bytes held (a stored index's arrays belong to the file).
  size_t memoryBytes() const;

  // The memory-file form: the mask, the hash slots, the groups, the member links and the
  // caches flattened (starts, then (class index, count) pairs).
  void save(ByteWriter& out) const;
  // Checks the sizes against `vectors` stored vectors; elements are left to the readers and
  // Stored::checkAll(). Class indices must stay below `classes`.
  static bool load(ByteReader& in, uint32_t vectors, uint32_t classes, Stored& out);

 private:
  uint64_t hashOf(const uint32_t* values) const;
  bool sameProjection(const uint32_t* a, const uint32_t* b) const;
  void grow();
  void addToCache(std::vector<ClassCount>& cache, uint32_t classIndex, uint32_t count);
  // Drops a stored index's views for an index of its own, built again from the base (growth
  // must never follow a damaged file's links).
  void ownArrays();

  const InstanceBase& base_;
  uint32_t mask_;
  std::vector<int> features_;  // positions in the mask
  uint32_t indexed_ = 0;       // vectors indexed so far
  Storage<uint32_t> slots_;    // group index + 1, 0 = empty
  Storage<Group> groups_;
  Storage<uint32_t> next_;  // per stored vector
  std::vector<std::vector<ClassCount>> caches_;
  // A stored index's caches (caches_ is then empty).
  Storage<uint64_t> cacheStart_;
  Storage<ClassCount> cacheFlat_;
  LazyCheckedArray<ClassCount> cacheChecks_;
  bool stored_ = false;  // read from a file: the arrays above are its, unchecked
};

}  // namespace memlens
