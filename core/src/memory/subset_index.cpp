#include "memory/subset_index.h"

#include <algorithm>

#include "base/hash_mix.h"

namespace memlens {

SubsetIndex::SubsetIndex(const InstanceBase& base, uint32_t mask) : base_(base), mask_(mask) {
  for (int f = 0; f < base.width(); ++f)
    if (mask & (1u << f)) features_.push_back(f);
  slots_.assign(16, 0);
  addNewVectors();
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
  const uint32_t* values = base_.values();
  const size_t w = static_cast<size_t>(base_.width());
  for (uint32_t g = 0; g < groups_.size(); ++g) {
    size_t s = hashOf(values + groups_[g].head * w) & m;
    while (slots[s] != 0) s = (s + 1) & m;
    slots[s] = g + 1;
  }
  slots_ = std::move(slots);
}

const SubsetIndex::Group* SubsetIndex::find(const uint32_t* query) const {
  const size_t m = slots_.size() - 1;
  const uint32_t* values = base_.values();
  const size_t w = static_cast<size_t>(base_.width());
  for (size_t s = hashOf(query) & m;; s = (s + 1) & m) {
    const uint32_t slot = slots_[s];
    if (slot == 0) return nullptr;
    const Group& g = groups_[slot - 1];
    if (sameProjection(values + g.head * w, query)) return &g;
  }
}

void SubsetIndex::addToCache(std::vector<ClassCount>& cache, uint32_t classIndex, uint32_t count) {
  for (ClassCount& c : cache)
    if (c.classIndex == classIndex) {
      c.count += count;
      return;
    }
  cache.push_back({classIndex, count});
}

void SubsetIndex::addNewVectors() {
  const uint32_t n = base_.vectorCount();
  next_.resize(n, kEnd);
  const uint32_t* values = base_.values();
  const size_t w = static_cast<size_t>(base_.width());
  std::vector<uint32_t> grownGroups;  // groups that gained members
  for (uint32_t id = indexed_; id < n; ++id) {
    const uint32_t* v = values + id * w;
    if ((groups_.size() + 1) * 2 > slots_.size()) grow();
    const size_t m = slots_.size() - 1;
    size_t s = hashOf(v) & m;
    uint32_t gi = kEnd;
    for (;; s = (s + 1) & m) {
      if (slots_[s] == 0) break;
      if (sameProjection(values + groups_[slots_[s] - 1].head * w, v)) {
        gi = slots_[s] - 1;
        break;
      }
    }
    if (gi == kEnd) {
      groups_.push_back({});
      gi = static_cast<uint32_t>(groups_.size() - 1);
      slots_[s] = gi + 1;
    }
    Group& g = groups_[gi];
    next_[id] = g.head;  // prepend: member order does not matter to any caller
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
    Group& g = groups_[gi];
    for (uint32_t member = g.head; member != kEnd; member = next_[member])
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
  if (id >= indexed_) return;  // not indexed yet: addNewVectors() will count it whole
  const Group* g = find(base_.values() + id * static_cast<size_t>(base_.width()));
  if (g != nullptr && g->cache != 0) addToCache(caches_[g->cache - 1], classIndex, 1);
}

}  // namespace memlens
