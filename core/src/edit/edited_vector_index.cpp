#include "edit/edited_vector_index.h"

#include <algorithm>
#include <bit>
#include <span>

#include "edit/overlay_index.h"
#include "memory/bucket_vote.h"

namespace memlens {
namespace {

// Below this many vectors measuring pairs costs less than hashing the query per pattern.
constexpr size_t kPairsBelow = 16;

bool isWithin(double d, double limit) { return d <= limit || sameDistance(d, limit); }

}  // namespace

// The vectors by the hash of their values on a pattern: distinct hashes by open addressing, at
// most half full (0 stands for an empty slot), each with its vectors' range in `members`.
struct EditedVectorIndex::Groups {
  Groups(const std::vector<const uint32_t*>& vectors, uint32_t pattern, int width)
      : slots(std::bit_ceil(std::max<size_t>(2 * vectors.size(), 4)), 0), group(slots.size()) {
    std::vector<uint32_t> of(vectors.size());
    std::vector<uint32_t> sizes;
    for (size_t v = 0; v < vectors.size(); ++v) {
      const size_t s = slotOf(OverlayIndex::hashOn(vectors[v], pattern, width));
      if (slots[s] == 0) {
        slots[s] = key(OverlayIndex::hashOn(vectors[v], pattern, width));
        group[s] = static_cast<uint32_t>(sizes.size());
        sizes.push_back(0);
      }
      of[v] = group[s];
      ++sizes[of[v]];
    }
    begin.assign(sizes.size() + 1, 0);
    for (size_t g = 0; g < sizes.size(); ++g) begin[g + 1] = begin[g] + sizes[g];
    members.resize(vectors.size());
    for (size_t v = 0; v < vectors.size(); ++v) members[begin[of[v]] + --sizes[of[v]]] = v;
  }
  static uint64_t key(uint64_t h) { return h == 0 ? 1 : h; }
  // The slot holding `h`, or the empty one where it would go.
  size_t slotOf(uint64_t h) const {
    const size_t mask = slots.size() - 1;
    size_t s = (h ^ (h >> 29)) & mask;
    while (slots[s] != 0 && slots[s] != key(h)) s = (s + 1) & mask;
    return s;
  }
  bool contains(uint64_t h) const { return slots[slotOf(h)] != 0; }
  std::span<const uint32_t> of(uint64_t h) const {
    const size_t s = slotOf(h);
    if (slots[s] == 0) return {};
    return {members.data() + begin[group[s]], members.data() + begin[group[s] + 1]};
  }
  std::vector<uint64_t> slots;
  std::vector<uint32_t> group;  // per slot
  std::vector<uint32_t> begin, members;
};

EditedVectorIndex::EditedVectorIndex(std::vector<const uint32_t*> vectors, int width,
                                     Distance distance)
    : vectors_(std::move(vectors)), width_(width), distance_(std::move(distance)) {
  if (width_ > OverlayIndex::kMaxWidth || vectors_.size() < kPairsBelow) return;
  const size_t patterns = size_t{1} << width_;
  distanceOf_ = OverlayIndex::patternDistances(width_, distance_);
  distances_ = distanceOf_;
  std::sort(distances_.begin(), distances_.end());
  distances_.erase(std::unique(distances_.begin(), distances_.end()), distances_.end());
  // A pattern within a distance with no bit to spare: dropping any bit (one more mismatch)
  // leaves it. Within the j-th distance means at most it (distances_ ascending).
  least_.resize(distances_.size() + 1);
  for (size_t j = 1; j <= distances_.size(); ++j) {
    const double limit = distances_[j - 1];
    for (uint32_t p = 0; p < patterns; ++p) {
      if (distanceOf_[p] > limit) continue;
      bool spare = false;
      for (uint32_t rest = p; rest && !spare; rest &= rest - 1)
        spare = distanceOf_[p & ~(1u << std::countr_zero(rest))] <= limit;
      if (!spare) least_[j].push_back(p);
    }
  }
  built_ = std::make_unique<std::once_flag[]>(patterns);
  groups_.resize(patterns);
}

EditedVectorIndex::~EditedVectorIndex() = default;

const std::vector<uint32_t>& EditedVectorIndex::leastWithin(double reach) const {
  // The distinct distances within reach are the smallest j.
  const auto j =
      static_cast<size_t>(std::partition_point(distances_.begin(), distances_.end(),
                                               [&](double d) { return isWithin(d, reach); }) -
                          distances_.begin());
  return least_[j];
}

bool EditedVectorIndex::within(const uint32_t* query, double reach) const {
  if (reach < 0.0) return false;
  if (distanceOf_.empty()) {
    for (const uint32_t* v : vectors_)
      if (isWithin(distance_(query, v), reach)) return true;
    return false;
  }
  for (uint32_t p : leastWithin(reach))
    if (groupsOf(p).contains(OverlayIndex::hashOn(query, p, width_))) return true;
  return false;
}

void EditedVectorIndex::forEachWithin(const uint32_t* query, double reach,
                                      const std::function<void(uint32_t, double)>& fn) const {
  if (reach < 0.0) return;
  if (distanceOf_.empty()) {
    for (uint32_t v = 0; v < vectors_.size(); ++v)
      if (const double d = distance_(query, vectors_[v]); isWithin(d, reach)) fn(v, d);
    return;
  }
  const std::vector<uint32_t>& least = leastWithin(reach);
  for (size_t i = 0; i < least.size(); ++i)
    for (uint32_t v : groupsOf(least[i]).of(OverlayIndex::hashOn(query, least[i], width_))) {
      uint32_t pattern = 0;
      for (int f = 0; f < width_; ++f)
        if (query[f] == vectors_[v][f]) pattern |= 1u << f;
      // A hash collision, or a vector an earlier least pattern reported.
      if ((pattern & least[i]) != least[i]) continue;
      bool seen = false;
      for (size_t j = 0; j < i && !seen; ++j) seen = (pattern & least[j]) == least[j];
      if (!seen) fn(v, distanceOf_[pattern]);
    }
}

const EditedVectorIndex::Groups& EditedVectorIndex::groupsOf(uint32_t pattern) const {
  std::call_once(built_[pattern],
                 [&] { groups_[pattern] = std::make_unique<Groups>(vectors_, pattern, width_); });
  return *groups_[pattern];
}

}  // namespace memlens
