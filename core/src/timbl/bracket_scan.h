#pragma once

// Scans of a TiMBL tree's brackets, eight bytes at a time (an instance base is gigabytes of them).

#include <cstddef>
#include <string_view>

namespace memlens {

// The '(' and ')' in a text.
struct Brackets {
  size_t opens = 0;
  size_t closes = 0;
};

Brackets countBrackets(std::string_view text);

// Just past the ')' that closes the '(' at text[open], or npos if the text ends first.
size_t matchingClose(std::string_view text, size_t open);

}  // namespace memlens
