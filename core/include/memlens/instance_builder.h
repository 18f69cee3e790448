#pragma once

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"

namespace memlens {

// How the token stream is cut into blocks before windowing (docs/spec/engine.md).
enum class BlockMode {
  kLine,  // every line is its own block; every token is a target
  // olifant-continuous-windowing: lines joined; an empty line starts a new block; a block's last
  // token is no target; a one-token block's token opens the next block of its document.
  kOlifant,
};

struct WindowOptions {
  int width = 4;  // 1..32 context tokens
  BlockMode blocks = BlockMode::kLine;
};

// Left-context windows: one instance per target token, context padded with `paddingId` ("_")
// at the start of each block. Fails on a width outside 1..32; honours cancel.
Result<InstanceSet> buildInstances(const TokenStream& tokens, uint32_t paddingId,
                                   const WindowOptions& options, JobControl* job = nullptr);

}  // namespace memlens
