#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "memlens/result.h"

namespace memlens {

// Parses a JSON object whose values are all integers, such as GPT-2's encoder.json or a
// Hugging Face vocab.json: {"token": 17, ...}. Keys are unescaped (\uXXXX, surrogate pairs
// included) into UTF-8; members are returned in file order. Anything else in the file (nested
// values, fractions, trailing text, invalid UTF-8) is an error naming `fileName`, the line and the
// byte. Pure function: safe from any number of threads.
Result<std::vector<std::pair<std::string, int64_t>>> parseFlatJsonObject(std::string_view json,
                                                                         std::string_view fileName);

}  // namespace memlens
