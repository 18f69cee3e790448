#include "edit/overlay_index.h"

#include <bit>

#include "memory/bucket_vote.h"

namespace memlens {

OverlayIndex::Level::Level(uint32_t from, uint32_t to, size_t patterns)
    : begin(from), end(to), built(std::make_unique<std::once_flag[]>(patterns)), groups(patterns) {}

OverlayIndex::OverlayIndex(const VectorOverlay& overlay, int width, Distance distance,
                           const OverlayIndex* previous)
    : overlay_(overlay), width_(width), distance_(std::move(distance)) {
  if (width_ > kMaxWidth) return;
  const size_t patterns = size_t{1} << width_;
  distanceOf_ = patternDistances(width_, distance_);
  if (previous) levels_ = previous->levels_;
  const uint32_t indexed = levels_.empty() ? 0 : levels_.back()->end;
  const auto entries = static_cast<uint32_t>(overlay.entries().size());
  if (entries > indexed) levels_.push_back(std::make_shared<Level>(indexed, entries, patterns));
  // Merged (built again on first use) while a level is not twice the size of the next.
  while (levels_.size() >= 2) {
    const Level& older = *levels_[levels_.size() - 2];
    const Level& newer = *levels_.back();
    if (older.end - older.begin > 2 * (newer.end - newer.begin)) break;
    auto merged = std::make_shared<Level>(older.begin, newer.end, patterns);
    levels_.pop_back();
    levels_.back() = std::move(merged);
  }
}

std::vector<double> OverlayIndex::patternDistances(int width, const Distance& distance) {
  std::vector<uint32_t> zeros(static_cast<size_t>(width), 0), other(zeros.size());
  std::vector<double> out(size_t{1} << width);
  for (uint32_t p = 0; p < out.size(); ++p) {
    for (int f = 0; f < width; ++f) other[static_cast<size_t>(f)] = (p >> f) & 1u ? 0 : 1;
    out[p] = distance(zeros.data(), other.data());
  }
  return out;
}

uint64_t OverlayIndex::hashOn(const uint32_t* values, uint32_t pattern, int width) {
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (int f = 0; f < width; ++f)
    if ((pattern >> f) & 1u) h = (h ^ values[f]) * 0x100000001B3ull + static_cast<uint64_t>(f);
  return h;
}

bool OverlayIndex::within(double d, double limit) { return d <= limit || sameDistance(d, limit); }

const std::vector<uint32_t>& OverlayIndex::leastPatterns(double limit, uint32_t required) const {
  thread_local std::vector<uint32_t> least;
  least.clear();
  // Within `limit` with no bit to spare: dropping any bit outside `required` (one more mismatch)
  // leaves it.
  for (uint32_t p = 0; p < distanceOf_.size(); ++p) {
    if ((p & required) != required || !within(distanceOf_[p], limit)) continue;
    bool spare = false;
    for (uint32_t rest = p & ~required; rest && !spare; rest &= rest - 1)
      spare = within(distanceOf_[p & ~(1u << std::countr_zero(rest))], limit);
    if (!spare) least.push_back(p);
  }
  return least;
}

const PatternGroups& OverlayIndex::groupsOf(Level& level, uint32_t pattern) const {
  std::call_once(level.built[pattern], [&] {
    level.groups[pattern] =
        std::make_unique<PatternGroups>(level.begin, level.end, pattern, width_,
                                        [this](uint32_t e) { return overlay_.featuresOf(e); });
  });
  return *level.groups[pattern];
}

const PatternGroups* OverlayIndex::groupsOfFirst(uint32_t entries, uint32_t pattern) const {
  if (levels_.size() != 1 || levels_.front()->begin != 0 || levels_.front()->end != entries)
    return nullptr;
  return &groupsOf(*levels_.front(), pattern);
}

uint32_t OverlayIndex::patternOf(const uint32_t* query, const uint32_t* features) const {
  uint32_t pattern = 0;
  for (int f = 0; f < width_; ++f)
    if (query[f] == features[f]) pattern |= 1u << f;
  return pattern;
}

uint64_t OverlayIndex::hashOf(const uint32_t* values, uint32_t pattern) const {
  return hashOn(values, pattern, width_);
}

}  // namespace memlens
