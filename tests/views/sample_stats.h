#pragma once

// A CorpusStats built by hand for the view tests, so they check rendering against known numbers
// without depending on the core's tokeniser or statistics code.
#include <memory>

#include "memlens/corpus_stats.h"

namespace memlens::test {

inline std::shared_ptr<const CorpusStats> sampleStats() {
  auto stats = std::make_shared<CorpusStats>();
  // Token counts 9, 100, 10: sorted as numbers they differ from sorted as text ("10" < "100" <
  // "9").
  stats->perDocument = {
      {"/data/corpus/b.txt", 1234567, 40, 9, 7},
      {"/data/corpus/a.txt", 2048, 3, 100, 60},
      {"/data/other/c.txt", 512, 2, 10, 10},
  };
  stats->documents = 3;
  stats->bytes = 1234567 + 2048 + 512;
  stats->lines = 45;
  stats->emptyLines = 4;
  stats->tokens = 1234119;
  stats->types = 4321;
  stats->hapaxes = 1000;
  stats->typeTokenCurve = {{0, 0}, {1, 1}, {10, 8}, {100, 50}, {1000, 300}, {1234119, 4321}};
  stats->topTypes = {{"the", 123412}, {",", 61706}, {"Zion", 3}};
  return stats;
}

}  // namespace memlens::test
