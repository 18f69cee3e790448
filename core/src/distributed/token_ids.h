#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// Collective: agrees on token ids when every rank interned only its own contiguous part of the
// input, the parts in rank order, into its `local` vocabulary. Returns this rank's map from
// local id to global id. On rank 0, `global` receives every rank's tokens interned in rank order
// and, within a rank, in its order of first appearance: that is the order of first appearance in
// the whole input, so the global ids are the ids one process reading the whole input into
// `global` would give (docs/spec/distributed.md). The other ranks ignore `global`.
// Rank 0 receives the ranks' tokens one rank at a time; the other ranks get only their maps.
Result<std::vector<uint32_t>> agreeTokenIds(Communicator& comm, const Vocabulary& local,
                                            Vocabulary& global);

}  // namespace memlens
