#pragma once

#include <cstddef>
#include <string_view>

namespace memlens {

// The offset of the first byte of `text` that is not part of a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or npos.
size_t findInvalidUtf8(std::string_view text);

// 1-based line number and 0-based byte offset within that line of `offset` in `text`.
struct LineColumn {
  size_t line;
  size_t byteInLine;
};
LineColumn lineColumnAt(std::string_view text, size_t offset);

}  // namespace memlens
