#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "base/lazy_checked_array.h"
#include "memlens/token_stream.h"

namespace memlens {

// What TokenStream::load() leaves to the first reads of a stream read from a file.
struct TokenStream::FileChecks {
  LazyCheckedArray<uint32_t> ids;       // below the vocabulary size
  std::vector<uint64_t> documentBytes;  // per document: where its tokens must end
  std::vector<uint32_t> documentBoms;   // per document: where its lines may start
  std::vector<std::string> documentPaths;
  // ids() as a whole: the ids themselves, or a repaired copy when a chunk failed.
  mutable std::once_flag repairOnce;
  mutable Storage<uint32_t> repaired;
};

}  // namespace memlens
