#pragma once

#include <pybind11/pybind11.h>

#include <string>

#include "memlens/pruning.h"

namespace memlens::python {

// A pruning as Memory.prune and Project.prune take it, with memlens-cli project prune's words:
// the strategy ("count", "wilson", ...) and keywords min_count, keep, seed, document, k (Wilson's
// distance buckets, default 3; merge's, default 1). The census is the caller's to set.
PruneOptions pruneOptions(const std::string& strategy, const pybind11::kwargs& kwargs);

// The docstring paragraph that lists the strategies and keywords.
extern const char* const kPruneDoc;

}  // namespace memlens::python
