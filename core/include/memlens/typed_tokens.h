#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// Tokens a person typed to name part of a memory (an edit's class, a stored vector's context),
// as vocabulary ids: a token the vocabulary lacks is an invalid argument naming it, never
// kUnknown. Shared by memlens-cli's project edits and the Python module's.
Result<uint32_t> typedToken(const Vocabulary& vocab, std::string_view token);
// Space-separated tokens, farthest first ("_" pads), each as typedToken().
Result<std::vector<uint32_t>> typedContext(const Vocabulary& vocab, std::string_view tokens);

}  // namespace memlens
