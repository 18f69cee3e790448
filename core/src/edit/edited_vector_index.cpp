#include "edit/edited_vector_index.h"

#include <algorithm>
#include <bit>

#include "edit/overlay_index.h"
#include "memory/bucket_vote.h"

namespace memlens {
namespace {

// Below this many vectors measuring pairs costs less than hashing the query per pattern.
constexpr size_t kPairsBelow = 16;

bool isWithin(double d, double limit) { return d <= limit || sameDistance(d, limit); }

}  // namespace

// Hashes by open addressing, at most half full (0 stands for an empty slot).
struct EditedVectorIndex::HashSet {
  explicit HashSet(size_t n) : slots(std::bit_ceil(std::max<size_t>(2 * n, 4)), 0) {}
  static uint64_t key(uint64_t h) { return h == 0 ? 1 : h; }
  void insert(uint64_t h) {
    const size_t mask = slots.size() - 1;
    for (size_t s = (h ^ (h >> 29)) & mask;; s = (s + 1) & mask) {
      if (slots[s] == key(h)) return;
      if (slots[s] == 0) {
        slots[s] = key(h);
        return;
      }
    }
  }
  bool contains(uint64_t h) const {
    const size_t mask = slots.size() - 1;
    for (size_t s = (h ^ (h >> 29)) & mask;; s = (s + 1) & mask) {
      if (slots[s] == key(h)) return true;
      if (slots[s] == 0) return false;
    }
  }
  std::vector<uint64_t> slots;
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
  sets_.resize(patterns);
}

EditedVectorIndex::~EditedVectorIndex() = default;

bool EditedVectorIndex::within(const uint32_t* query, double reach) const {
  if (reach < 0.0) return false;
  if (distanceOf_.empty()) {
    for (const uint32_t* v : vectors_)
      if (isWithin(distance_(query, v), reach)) return true;
    return false;
  }
  // The distinct distances within reach are the smallest j.
  const auto j =
      static_cast<size_t>(std::partition_point(distances_.begin(), distances_.end(),
                                               [&](double d) { return isWithin(d, reach); }) -
                          distances_.begin());
  for (uint32_t p : least_[j])
    if (setOf(p).contains(OverlayIndex::hashOn(query, p, width_))) return true;
  return false;
}

const EditedVectorIndex::HashSet& EditedVectorIndex::setOf(uint32_t pattern) const {
  std::call_once(built_[pattern], [&] {
    auto set = std::make_unique<HashSet>(vectors_.size());
    for (const uint32_t* v : vectors_) set->insert(OverlayIndex::hashOn(v, pattern, width_));
    sets_[pattern] = std::move(set);
  });
  return *sets_[pattern];
}

}  // namespace memlens
