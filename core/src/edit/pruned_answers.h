#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "edit/incremental_classifier.h"
#include "edit/probe_queries.h"
#include "edit/pruned_walks.h"
#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memory/neighbour_search.h"

namespace memlens {

// What IB1 under `options` (overlap metric, fixed weights: those `search` was built with) answers
// to each of `queries`, trained on the instances of the stored vectors of `base` that `removed`
// does not mark (by id, their counts as they are), `classes` the class order of those instances;
// without building that memory. A count-threshold prune of a 100M-instance memory keeps a third of
// its 2.6M stored vectors, and building the memory they make took 25 s; per query, this walks
// `search`'s match patterns nearest first (as the memory's own search would), summing the kept
// vectors of exactly each pattern, until the k + 1 nearest buckets are known, and votes them as
// the memory would (MergedBuckets). With `walks` (made for this search, base and queries, and
// covered by `removed`), from the walks earlier stops kept, extended as far as this one reads.
// With `required` (per query, a mask of features; then no walks), each query's search reads only
// the kept vectors agreeing with it on its mask, as the memory's search below TRIBL2's tree does.
// Honours cancel.
Result<std::vector<uint32_t>> prunedAnswers(
    const NeighbourSearch& search, const InstanceBase& base, const std::vector<bool>& removed,
    const ClassOrder& classes, const ClassifierOptions& options, const ProbeQueries& queries,
    PrunedWalks* walks, JobControl* job, std::span<const uint32_t> required = {});

}  // namespace memlens
