#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// Code point classes and case mapping for the tokenisers, from tables generated out of the
// Unicode 15 character database (core/tools/gen_unicode_tables.py). Internal to core.
// All functions are pure: safe from any number of threads.
namespace memlens::unicode {

enum class CodePointClass : uint8_t {
  kOther,  // controls, format characters (ZWJ), private use, unassigned
  kLetter,
  kMark,
  kNumber,
  kPunctuation,
  kSymbol,
  kSeparator,  // Z*; note that white space is a separate, JavaScript-defined property
};

struct CodePointRange {
  char32_t first;
  char32_t last;
};

struct LowercaseRun {
  char32_t first;
  char32_t last;
  int32_t delta;
  uint32_t stride;
};

// Decodes the code point at `pos` and advances `pos` past it. Input is expected to be valid
// UTF-8 (corpus loading checks it); a malformed byte is returned as U+FFFD and skipped alone so
// that callers always make progress and spans stay inside the text.
inline char32_t decodeUtf8(std::string_view text, size_t& pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  const unsigned char c = s[pos];
  if (c < 0x80) {
    ++pos;
    return c;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || pos + len > n) {
    ++pos;
    return 0xFFFD;
  }
  char32_t cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((s[pos + k] & 0xC0) != 0x80) {
      ++pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (s[pos + k] & 0x3F);
  }
  pos += len;
  return cp;
}

void appendUtf8(std::string& out, char32_t cp);

CodePointClass classifyNonAscii(char32_t cp);
bool isWhiteSpaceNonAscii(char32_t cp);
char32_t toLowerNonAscii(char32_t cp);

namespace detail {
// Generated: CodePointClass values indexed by ASCII code; the tokenisers mostly see ASCII.
extern const uint8_t kAsciiClass[128];
}  // namespace detail

inline CodePointClass classify(char32_t cp) {
  return cp < 0x80 ? static_cast<CodePointClass>(detail::kAsciiClass[cp]) : classifyNonAscii(cp);
}

// JavaScript's \s: what the GPT-2 pre-tokeniser regex means by white space.
inline bool isWhiteSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r');
  return isWhiteSpaceNonAscii(cp);
}

// Unicode simple lowercase mapping (one code point to one code point, no context).
inline char32_t toLower(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
  return toLowerNonAscii(cp);
}

}  // namespace memlens::unicode
