#pragma once

#include <cstdint>
#include <vector>

#include "memlens/classifier.h"

namespace memlens {

// How a stored vector served a probe set.
struct SlotUsage {
  uint32_t neighbourCount = 0;  // predictions it was a neighbour in
  // Σ over those predictions of (its share of votes for the true token − its largest share for
  // any other token): positive when it backed the truth over every rival, negative when it
  // backed a rival more.
  double credit = 0.0;
};

// Per stored vector of `classifier`'s memory, over `probe` (true tokens = probe.classes).
// Needs neighbour buckets: IB1 and TRIBL2 (IGTree answers from tree nodes, not neighbours).
Result<std::vector<SlotUsage>> usageCensus(const Classifier& classifier, const InstanceSet& probe,
                                           JobControl* job = nullptr);

}  // namespace memlens
