#pragma once

#include <cstdint>
#include <memory>

#include "distributed/sharded_classifier.h"
#include "memlens/token_stream.h"
#include "memlens/tokenised_corpus.h"

namespace memlens {

// What a sharded explain traces over, kept from the sharded training (trainSharded): this rank's
// shard of the memory and its block of the corpus, whose tokens name the provenance of the
// instances that started in it.
struct ShardedMemory {
  std::unique_ptr<ShardedClassifier> classifier;
  std::shared_ptr<const TokenisedCorpus> corpus;  // the corpus's documents
  TokenStream tokens;                             // this rank's block (one process's lines)
  uint64_t firstToken = 0;                        // the whole corpus's index of its first token
};

}  // namespace memlens
