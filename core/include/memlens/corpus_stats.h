#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "memlens/corpus.h"
#include "memlens/token_stream.h"

namespace memlens {

struct DocumentStats {
  std::string path;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t tokens = 0;
  uint64_t types = 0;
};

// Corpus statistics: an immutable snapshot, cheap to hand to views.
struct CorpusStats {
  uint64_t documents = 0;
  uint64_t bytes = 0;
  uint64_t lines = 0;
  uint64_t emptyLines = 0;
  uint64_t tokens = 0;
  uint64_t types = 0;
  uint64_t hapaxes = 0;  // types seen once
  std::vector<DocumentStats> perDocument;
  // Type/token curve: (tokens read, distinct types so far) at log-spaced points, last = totals.
  std::vector<std::pair<uint64_t, uint64_t>> typeTokenCurve;
  // The most frequent types with their counts, most frequent first (ties: first seen first).
  std::vector<std::pair<std::string, uint64_t>> topTypes;

  static CorpusStats compute(const Corpus& corpus, const TokenStream& tokens,
                             const Vocabulary& vocab, size_t topTypeCount = 50);
  // One JSON object, the format `memlens-cli corpus stats --json` prints and the Python module's
  // Corpus.stats() returns.
  std::string toJson() const;
};

}  // namespace memlens
