#include "memory/subset_index.h"

#include <algorithm>

#include "base/hash_mix.h"

namespace memlens {

SubsetIndex::SubsetIndex(const InstanceBase& base, uint32_t mask) : base_(base), mask_(mask) {
  for (int f = 0; f < base.width(); ++f)
    if (mask & (1u << f)) features_.push_back(f);
  slots_ = std::vector<uint32_t>(16, 0);
  addNewVectors();
}

SubsetIndex::SubsetIndex(const InstanceBase& base, Stored stored)
    : base_(base),
      mask_(stored.mask),
      indexed_(base.vectorCount()),
      slots_(std::move(stored.slots)),
      groups_(std::move(stored.groups)),
      next_(std::move(stored.next)),
      cacheStart_(std::move(stored.cacheStart)),
      cacheFlat_(std::move(stored.cacheFlat)),
      cacheChecks_(std::move(stored.cacheChecks)),
      stored_(true) {
  for (int f = 0; f < base.width(); ++f)
    if (mask_ & (1u << f)) features_.push_back(f);
}

uint64_t SubsetIndex::hashOf(const uint32_t* values) const {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ mask_;
  for (int f : features_) h = hashMix(h ^ (values[f] + (static_cast<uint64_t>(f + 1) << 40)));
  return h;
}

bool SubsetIndex::sameProjection(const uint32_t* a, const uint32_t* b) const {
  for (int f : features_)
    if (a[f] != b[f]) return false;
  return true;
}

void SubsetIndex::grow() {
  std::vector<uint32_t> slots(slots_.size() * 2, 0);
  const size_t m = slots.size() - 1;
  for (uint32_t g = 0; g < groups_.size(); ++g) {
    size_t s = hashOf(base_.vector(groups_[g].head).data()) & m;
    while (slots[s] != 0) s = (s + 1) & m;
    slots[s] = g + 1;
  }
  slots_ = std::move(slots);
}

const SubsetIndex::Group* SubsetIndex::find(const uint32_t* query) const {
  // Bounded by the table's size, and by the groups and vectors that exist: a stored table may
  // have no free slot, or name groups or heads past the end.
  const size_t size = slots_.size();
  const size_t m = size - 1;
  size_t s = hashOf(query) & m;
  for (size_t probes = 0; probes < size; ++probes, s = (s + 1) & m) {
    const uint32_t slot = slots_[s];
    if (slot == 0 || slot > groups_.size()) return nullptr;
    const Group& g = groups_[slot - 1];
    if (g.head < indexed_ && sameProjection(base_.vector(g.head).data(), query)) return &g;
  }
  return nullptr;
}

std::span<const ClassCount> SubsetIndex::cachedDistribution(const Group& g) const {
  if (g.cache == 0) return {};
  if (!stored_) return caches_[g.cache - 1];
  // A stored cache's reference and range are checked as they are followed; a bad one reads as
  // no cache (the group's members are summed instead).
  if (g.cache >= cacheStart_.size()) return {};
  const uint64_t begin = cacheStart_[g.cache - 1], end = cacheStart_[g.cache];
  if (begin >= end || end > cacheFlat_.size()) return {};
  return {cacheChecks_.checked(cacheFlat_.data(), begin, end) + begin, end - begin};
}

void SubsetIndex::addToCache(std::vector<ClassCount>& cache, uint32_t classIndex, uint32_t count) {
  for (ClassCount& c : cache)
    if (c.classIndex == classIndex) {
      c.count += count;
      return;
    }
  cache.push_back({classIndex, count});
}

void SubsetIndex::ownArrays() {
  if (!stored_) return;
  stored_ = false;
  slots_ = std::vector<uint32_t>(16, 0);
  groups_ = std::vector<Group>();
  next_ = std::vector<uint32_t>();
  cacheStart_ = Storage<uint64_t>();
  cacheFlat_ = Storage<ClassCount>();
  cacheChecks_ = LazyCheckedArray<ClassCount>();
  caches_.clear();
  indexed_ = 0;
}

void SubsetIndex::addNewVectors() {
  ownArrays();
  const uint32_t n = base_.vectorCount();
  std::vector<uint32_t>& next = next_.mutate();
  std::vector<Group>& groups = groups_.mutate();
  next.resize(n, kEnd);
  std::vector<uint32_t> grownGroups;  // groups that gained members
  for (uint32_t id = indexed_; id < n; ++id) {
    const uint32_t* v = base_.vector(id).data();
    if ((groups.size() + 1) * 2 > slots_.size()) grow();
    std::vector<uint32_t>& slots = slots_.mutate();
    const size_t m = slots.size() - 1;
    size_t s = hashOf(v) & m;
    uint32_t gi = kEnd;
    for (;; s = (s + 1) & m) {
      if (slots[s] == 0) break;
      if (sameProjection(base_.vector(groups[slots[s] - 1].head).data(), v)) {
        gi = slots[s] - 1;
        break;
      }
    }
    if (gi == kEnd) {
      groups.push_back({});
      gi = static_cast<uint32_t>(groups.size() - 1);
      slots[s] = gi + 1;
    }
    Group& g = groups[gi];
    next[id] = g.head;  // prepend: member order does not matter to any caller
    g.head = id;
    if (++g.count == kCacheThreshold) {
      grownGroups.push_back(gi);
    } else if (g.cache != 0) {
      // A cached group gains a member: add its counts (vectors added one at a time must not
      // re-sum a big group each time).
      for (const ClassCount& c : base_.distribution(id))
        addToCache(caches_[g.cache - 1], c.classIndex, c.count);
    }
  }
  if (grownGroups.empty()) {
    indexed_ = n;
    return;
  }
  // Sum the distributions of the groups that became large, with a dense accumulator.
  std::vector<uint64_t> acc(base_.classCount(), 0);
  std::vector<uint32_t> touched;
  for (uint32_t gi : grownGroups) {
    Group& g = groups[gi];
    for (uint32_t member = g.head; member != kEnd; member = next[member])
      for (const ClassCount& c : base_.distribution(member)) {
        if (acc[c.classIndex] == 0) touched.push_back(c.classIndex);
        acc[c.classIndex] += c.count;
      }
    caches_.emplace_back();
    g.cache = static_cast<uint32_t>(caches_.size());
    std::vector<ClassCount>& cache = caches_.back();
    for (uint32_t c : touched) {
      cache.push_back({c, static_cast<uint32_t>(acc[c])});
      acc[c] = 0;
    }
    cache.shrink_to_fit();
    touched.clear();
  }
  indexed_ = n;
}

void SubsetIndex::countAdded(uint32_t id, uint32_t classIndex) {
  ownArrays();
  if (id >= indexed_) return;  // not indexed yet: addNewVectors() will count it whole
  const Group* g = find(base_.vector(id).data());
  if (g != nullptr && g->cache != 0) addToCache(caches_[g->cache - 1], classIndex, 1);
}

size_t SubsetIndex::memoryBytes() const {
  size_t bytes = (slots_.capacity() + next_.capacity()) * sizeof(uint32_t) +
                 groups_.capacity() * sizeof(Group) + caches_.capacity() * sizeof(caches_[0]);
  for (const auto& c : caches_) bytes += c.capacity() * sizeof(ClassCount);
  return bytes;
}

}  // namespace memlens
