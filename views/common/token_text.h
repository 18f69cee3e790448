#pragma once

#include <QString>
#include <cstdint>
#include <span>

#include "memlens/vocabulary.h"

namespace memlens::views {

// The text of vocabulary id `id`; "<unknown>" for kUnknown or any id outside the vocabulary.
QString tokenText(const Vocabulary& vocab, uint32_t id);
// The ids' texts joined by spaces, leaving out `padding` (the left padding of a block start).
QString tokensText(const Vocabulary& vocab, std::span<const uint32_t> ids, uint32_t padding);

}  // namespace memlens::views
