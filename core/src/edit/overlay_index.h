#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "edit/pattern_groups.h"
#include "edit/vector_overlay.h"

namespace memlens {

// Finds the entries of a VectorOverlay within a weighted overlap distance of a query without
// scanning them all, so that a query's cost does not grow with how many stored vectors the edits
// changed (a document removal or a prune changes tens of thousands). Under the overlap metric an
// entry's distance depends only on which features match the query (its match pattern), and the
// patterns within a distance are those holding one of its least patterns: the entries agreeing
// with the query on each least pattern are looked up in per-pattern groups (built on first use)
// and each is reported once. An overlay only appends entries, so the index of an edit's overlay
// shares the groups of the overlay it was copied from and indexes only the entries the edit
// added, in levels merged as they grow (each at least twice the next: a few levels, each entry
// indexed a few times). Memories wider than kMaxWidth features scan the entries.
// Thread-safety: const calls may run concurrently.
class OverlayIndex {
 public:
  // A query looks at every pattern for its least ones; match patterns are 32-bit masks.
  static constexpr int kMaxWidth = 10;
  using Distance = std::function<double(const uint32_t*, const uint32_t*)>;

  // `distance`: the engine's weighted overlap distance (what within() reports). `previous`: the
  // index of the overlay `overlay` was copied from and appended to, or null.
  OverlayIndex(const VectorOverlay& overlay, int width, Distance distance,
               const OverlayIndex* previous = nullptr);
  OverlayIndex(const OverlayIndex&) = delete;
  OverlayIndex& operator=(const OverlayIndex&) = delete;

  // Per match pattern (bit f set: feature f agrees), the distance of two vectors that differ
  // where it has no bit, summed by `distance` (the engine's own sum, bit for bit).
  static std::vector<double> patternDistances(int width, const Distance& distance);
  // A hash of `values` on the features of `pattern`.
  static uint64_t hashOn(const uint32_t* values, uint32_t pattern, int width);

  // The groups of entries [0, entries) on `pattern` (built on first use) when one level indexes
  // exactly those, else null: an index of the same vectors shares them (a document removal's
  // first edit indexes its half million entries here and as the edited vectors).
  const PatternGroups* groupsOfFirst(uint32_t entries, uint32_t pattern) const;

  // Calls fn(entry index, distance) once for every entry that agrees with `query` on every
  // feature of `required` (a bit mask over feature positions) and is at most `limit` from it (or
  // at the same distance, sameDistance()), in no promised order.
  template <typename Fn>
  void within(const uint32_t* query, double limit, uint32_t required, Fn&& fn) const {
    const auto entries = static_cast<uint32_t>(overlay_.entries().size());
    const auto report = [&](uint32_t e, uint32_t pattern, double d) {
      if ((pattern & required) == required && within(d, limit)) fn(e, d);
    };
    if (distanceOf_.empty()) {
      for (uint32_t e = 0; e < entries; ++e) {
        const uint32_t* features = overlay_.featuresOf(e);
        report(e, patternOf(query, features), distance_(query, features));
      }
      return;
    }
    const std::vector<uint32_t>& least = leastPatterns(limit, required);
    if (!least.empty() && least.front() == 0) {
      for (uint32_t e = 0; e < entries; ++e) {
        const uint32_t pattern = patternOf(query, overlay_.featuresOf(e));
        report(e, pattern, distanceOf_[pattern]);
      }
      return;
    }
    for (size_t i = 0; i < least.size(); ++i)
      for (const auto& level : levels_) {
        groupsOf(*level, least[i]).forEach(hashOf(query, least[i]), [&](uint32_t e) {
          const uint32_t pattern = patternOf(query, overlay_.featuresOf(e));
          // A hash collision, or an entry an earlier least pattern reported.
          if ((pattern & least[i]) != least[i]) return;
          bool seen = false;
          for (size_t j = 0; j < i && !seen; ++j) seen = (pattern & least[j]) == least[j];
          if (!seen) report(e, pattern, distanceOf_[pattern]);
        });
      }
  }

 private:
  static bool within(double d, double limit);
  // The least match patterns holding `required` within `limit`, ascending ({0}: every entry may
  // be), per thread.
  const std::vector<uint32_t>& leastPatterns(double limit, uint32_t required) const;
  // The groups of entries [begin, end), per pattern: entries by the hash of their values on it.
  struct Level {
    Level(uint32_t from, uint32_t to, size_t patterns);
    uint32_t begin, end;
    std::unique_ptr<std::once_flag[]> built;
    std::vector<std::unique_ptr<PatternGroups>> groups;
  };
  const PatternGroups& groupsOf(Level& level, uint32_t pattern) const;
  uint32_t patternOf(const uint32_t* query, const uint32_t* features) const;
  uint64_t hashOf(const uint32_t* values, uint32_t pattern) const;

  const VectorOverlay& overlay_;
  int width_;
  Distance distance_;
  std::vector<double> distanceOf_;  // per match pattern (empty: scan), as distance_ sums it
  std::vector<std::shared_ptr<Level>> levels_;  // over all entries, oldest first
};

}  // namespace memlens
