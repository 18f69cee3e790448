#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace memlens {

class PatternGroups;

// The stored vectors an edit changed, asked whether one lies within a probe query's reach. A
// document removal changes hundreds of thousands of them and a large probe set holds as many
// distinct queries: too many pairs to measure. Under the overlap metric a vector is within a
// distance of a query when it agrees with it on one of the least match patterns within that
// distance (as in OverlayIndex), so each pattern gets the edited vectors grouped by their hashed
// values on it (PatternGroups), built on first use. A hash collision can only say yes where the
// answer is no: a probe token predicted again, never a wrong answer (forEachWithin() compares the
// values). Memories wider than OverlayIndex::kMaxWidth and small edits measure every pair instead.
// Thread-safety: const calls may run concurrently.
class EditedVectorIndex {
 public:
  using Distance = std::function<double(const uint32_t*, const uint32_t*)>;

  // `vectors`: width values each, kept by the caller while the index lives. `distance`: the
  // engine's weighted overlap distance (summed as its search sums it). `shared`: the groups of
  // `vectors` on a pattern (vector v as item v) when another index holds them, else null.
  using SharedGroups = std::function<const PatternGroups*(uint32_t pattern)>;
  EditedVectorIndex(std::vector<const uint32_t*> vectors, int width, Distance distance,
                    SharedGroups shared = nullptr);
  EditedVectorIndex(const EditedVectorIndex&) = delete;
  EditedVectorIndex& operator=(const EditedVectorIndex&) = delete;
  ~EditedVectorIndex();

  // Whether some vector that agrees with `query` on every feature of `required` (a bit mask over
  // feature positions: TRIBL2's matched tree prefix) is at most `reach` from it (or at the same
  // distance, sameDistance()); false for a negative reach.
  bool within(const uint32_t* query, double reach, uint32_t required = 0) const;
  // Calls fn(vector index, distance) once for every such vector.
  void forEachWithin(const uint32_t* query, double reach, uint32_t required,
                     const std::function<void(uint32_t, double)>& fn) const;
  // Whether within() measures every pair (its cost grows with the vectors).
  bool measuresPairs() const { return distanceOf_.empty(); }

 private:
  const PatternGroups& groupsOf(uint32_t pattern) const;
  // The least patterns within `reach` (see OverlayIndex), each with `required`'s bits added, per
  // thread: a vector agreeing with a query on `required` within `reach` agrees with it on one of
  // them, and one agreeing on one is such (agreeing on more features is no farther).
  const std::vector<uint32_t>& leastWithin(double reach, uint32_t required) const;
  // Whether `v` agrees with `query` on every feature of `required`.
  bool agrees(const uint32_t* query, uint32_t v, uint32_t required) const;

  std::vector<const uint32_t*> vectors_;
  int width_;
  Distance distance_;
  SharedGroups shared_;
  std::vector<double> distanceOf_;  // per match pattern (empty: measure pairs)
  std::vector<double> distances_;   // the distinct pattern distances, ascending
  // least_[j]: the least patterns within the j-th smallest distance (see OverlayIndex).
  std::vector<std::vector<uint32_t>> least_;
  std::unique_ptr<std::once_flag[]> built_;
  mutable std::vector<std::unique_ptr<PatternGroups>> groups_;  // per pattern
};

}  // namespace memlens
