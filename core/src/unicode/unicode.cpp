#include "unicode/unicode.h"

#include <algorithm>
#include <iterator>

namespace memlens::unicode {

// The tables live in detail, not an anonymous namespace, because kAsciiClass is declared in
// unicode.h for the inline fast paths.
namespace detail {
#include "unicode/unicode_tables.inc"
}  // namespace detail

using detail::kClassStarts;
using detail::kLowercase;
using detail::kWhiteSpace;

CodePointClass classifyNonAscii(char32_t cp) {
  const uint32_t key = (static_cast<uint32_t>(cp) << 8) | 0xFF;
  const auto* it = std::upper_bound(std::begin(kClassStarts), std::end(kClassStarts), key);
  return static_cast<CodePointClass>(*(it - 1) & 0xFF);
}

bool isWhiteSpaceNonAscii(char32_t cp) {
  const auto* it =
      std::upper_bound(std::begin(kWhiteSpace), std::end(kWhiteSpace), cp,
                       [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != std::begin(kWhiteSpace) && cp <= (it - 1)->last;
}

char32_t toLowerNonAscii(char32_t cp) {
  const auto* it = std::upper_bound(std::begin(kLowercase), std::end(kLowercase), cp,
                                    [](char32_t c, const LowercaseRun& r) { return c < r.first; });
  if (it == std::begin(kLowercase)) return cp;
  const LowercaseRun& run = *(it - 1);
  if (cp > run.last || (cp - run.first) % run.stride != 0) return cp;
  return static_cast<char32_t>(static_cast<int32_t>(cp) + run.delta);
}

void appendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace memlens::unicode
