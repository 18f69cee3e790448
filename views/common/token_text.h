#pragma once

#include <QString>
#include <cstdint>
#include <span>

#include "memlens/tokenised_corpus.h"
#include "memlens/vocabulary.h"

namespace memlens::views {

// The text of vocabulary id `id`; "<unknown>" for kUnknown or any id outside the vocabulary.
QString tokenText(const Vocabulary& vocab, uint32_t id);
// The ids' texts joined by spaces, leaving out `padding` (the left padding of a block start).
QString tokensText(const Vocabulary& vocab, std::span<const uint32_t> ids, uint32_t padding);
// Where training source `source` (a token index) is in the corpus: "kjv.txt:1234"; "inserted"
// for an instance an edit inserted; empty for a source outside the corpus.
QString sourceText(const TokenisedCorpus& corpus, uint64_t source);

}  // namespace memlens::views
