#include "edit/edited_vector_index.h"

#include <algorithm>
#include <bit>

#include "edit/overlay_index.h"
#include "edit/pattern_groups.h"
#include "memory/bucket_vote.h"

namespace memlens {
namespace {

// Below this many vectors measuring pairs costs less than hashing the query per pattern.
constexpr size_t kPairsBelow = 16;

bool isWithin(double d, double limit) { return d <= limit || sameDistance(d, limit); }

}  // namespace

EditedVectorIndex::EditedVectorIndex(std::vector<const uint32_t*> vectors, int width,
                                     Distance distance, SharedGroups shared)
    : vectors_(std::move(vectors)),
      width_(width),
      distance_(std::move(distance)),
      shared_(std::move(shared)) {
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

const std::vector<uint32_t>& EditedVectorIndex::leastWithin(double reach, uint32_t required) const {
  // The distinct distances within reach are the smallest j.
  const auto j =
      static_cast<size_t>(std::partition_point(distances_.begin(), distances_.end(),
                                               [&](double d) { return isWithin(d, reach); }) -
                          distances_.begin());
  if (required == 0) return least_[j];
  thread_local std::vector<uint32_t> with;
  with.clear();
  for (uint32_t p : least_[j]) with.push_back(p | required);
  std::sort(with.begin(), with.end());
  with.erase(std::unique(with.begin(), with.end()), with.end());
  return with;
}

bool EditedVectorIndex::agrees(const uint32_t* query, uint32_t v, uint32_t required) const {
  for (uint32_t rest = required; rest; rest &= rest - 1) {
    const int f = std::countr_zero(rest);
    if (query[f] != vectors_[v][f]) return false;
  }
  return true;
}

bool EditedVectorIndex::within(const uint32_t* query, double reach, uint32_t required) const {
  if (reach < 0.0) return false;
  if (distanceOf_.empty()) {
    for (uint32_t v = 0; v < vectors_.size(); ++v)
      if (agrees(query, v, required) && isWithin(distance_(query, vectors_[v]), reach)) return true;
    return false;
  }
  const std::vector<uint32_t>& least = leastWithin(reach, required);
  // Pattern 0 (every vector within reach) is one group of all.
  if (!least.empty() && least.front() == 0) return true;
  for (uint32_t p : least)
    if (groupsOf(p).contains(OverlayIndex::hashOn(query, p, width_))) return true;
  return false;
}

void EditedVectorIndex::forEachWithin(const uint32_t* query, double reach, uint32_t required,
                                      const std::function<void(uint32_t, double)>& fn) const {
  if (reach < 0.0) return;
  if (distanceOf_.empty()) {
    for (uint32_t v = 0; v < vectors_.size(); ++v) {
      if (!agrees(query, v, required)) continue;
      if (const double d = distance_(query, vectors_[v]); isWithin(d, reach)) fn(v, d);
    }
    return;
  }
  const auto patternOf = [&](uint32_t v) {
    uint32_t pattern = 0;
    for (int f = 0; f < width_; ++f)
      if (query[f] == vectors_[v][f]) pattern |= 1u << f;
    return pattern;
  };
  const std::vector<uint32_t>& least = leastWithin(reach, required);
  if (!least.empty() && least.front() == 0) {
    for (uint32_t v = 0; v < vectors_.size(); ++v) fn(v, distanceOf_[patternOf(v)]);
    return;
  }
  for (size_t i = 0; i < least.size(); ++i)
    groupsOf(least[i]).forEach(OverlayIndex::hashOn(query, least[i], width_), [&](uint32_t v) {
      const uint32_t pattern = patternOf(v);
      // A hash collision, or a vector an earlier least pattern reported.
      if ((pattern & least[i]) != least[i]) return;
      bool seen = false;
      for (size_t j = 0; j < i && !seen; ++j) seen = (pattern & least[j]) == least[j];
      if (!seen) fn(v, distanceOf_[pattern]);
    });
}

const PatternGroups& EditedVectorIndex::groupsOf(uint32_t pattern) const {
  if (shared_)
    if (const PatternGroups* groups = shared_(pattern)) return *groups;
  std::call_once(built_[pattern], [&] {
    groups_[pattern] =
        std::make_unique<PatternGroups>(0, static_cast<uint32_t>(vectors_.size()), pattern, width_,
                                        [this](uint32_t v) { return vectors_[v]; });
  });
  return *groups_[pattern];
}

}  // namespace memlens
