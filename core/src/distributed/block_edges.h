#pragma once

#include "distributed/communicator.h"
#include "memlens/instance_builder.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"

namespace memlens {

// Where a rank's lines meet the other ranks' for OLIFANT blocks, which run across lines and so
// across the edges of the ranks' shares (docs/spec/distributed.md).
struct BlockEdges {
  OpenBlock before;            // the block open before the rank's first line
  bool lastContinues = false;  // the block open after its last line goes on in a later rank
};

// Collective: this rank's edges, for `tokens` the rank's lines of a stream split over the ranks
// in rank order (a corpus block). Every rank returns the same status.
Result<BlockEdges> agreeBlockEdges(Communicator& comm, const TokenStream& tokens, int width);

}  // namespace memlens
