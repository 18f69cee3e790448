#pragma once

#include <cstdint>
#include <span>

#include "edit/edited_rows.h"
#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// The memory add() builds from the live rows of `rows` (in order: the same stored vectors, class
// order, counts and sources), made from `trained`'s stored vectors rather than by hashing every
// kept instance again: a large prune of a 100M-instance memory keeps tens of millions of them.
// `trained` holds the rows' base instances (row i its instance i) as they were trained;
// `refeatured` lists the base rows an edit may have given other features (a superset will do).
// Only those and the inserted rows are looked up by their features. `liveCount`: how many rows
// are live. Cancellable.
Result<InstanceBase> keptMemory(const InstanceBase& trained, const EditedRows& rows,
                                std::span<const uint32_t> refeatured, uint64_t liveCount,
                                JobControl* job);

}  // namespace memlens
