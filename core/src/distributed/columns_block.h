#pragma once

#include <string>

#include "distributed/communicator.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// Collective: this rank's block of a Columns file (TiMBL's format, as readColumnsFile reads it),
// reading only the lines that start in its share of the file's bytes, [S·r/N, S·(r+1)/N), so
// that no rank holds more than its block. The blocks are contiguous and in rank order. Token ids
// are agreed across ranks (agreeTokenIds): the block's ids, its `sources` (1-based lines of the
// file) and, on rank 0, `vocab` are exactly what readColumnsFile gives for the whole file into
// `vocab`; the other ranks' `vocab` is left as it was. A block may be empty (more ranks than
// lines). The file's errors are readColumnsFile's, from the lowest rank that meets one, prefixed
// "rank N: " when that is not rank 0; every rank returns the same status.
Result<InstanceSet> readColumnsBlock(Communicator& comm, const std::string& path, Vocabulary& vocab,
                                     JobControl* job = nullptr);

}  // namespace memlens
