#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "memlens/instance_builder.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/tokeniser.h"

namespace memlens {

// One rank's block of a corpus in a sharded run (docs/spec/distributed.md).
struct CorpusBlock {
  // The corpus's files (opened and checked as one process opens them) and the tokeniser's
  // description. `tokens` holds the lines that start in this rank's share of the files' bytes
  // (their concatenation in the order one process reads them), with the document indices, line
  // numbers and token ids one process gives them; `paddingId` is one process's too. On rank 0,
  // `vocab` is one process's whole vocabulary; the other ranks' is empty (their ids are global).
  std::shared_ptr<TokenisedCorpus> corpus;
  uint64_t firstToken = 0;      // the index, in the whole corpus, of the block's first token
  uint32_t vocabularySize = 0;  // of the whole corpus, on every rank
};

// Collective: this rank's block of the corpus at `paths`. Every rank returns the same status.
Result<CorpusBlock> loadCorpusBlock(Communicator& comm, const std::vector<std::string>& paths,
                                    const TokeniserOptions& tokeniser, JobControl* job = nullptr);

// The instances of the block's tokens, windowed as one process windows the whole corpus: line
// blocks never cross a share's edge; OLIFANT blocks may, so the ranks first agree on the blocks
// open at the edges (a collective call). Their sources are the block's token indices (add
// `firstToken` for the whole corpus's).
Result<InstanceSet> windowCorpusBlock(Communicator& comm, const CorpusBlock& block,
                                      const WindowOptions& window, JobControl* job = nullptr);

}  // namespace memlens
