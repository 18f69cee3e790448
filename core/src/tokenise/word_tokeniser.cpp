#include "tokenise/word_tokeniser.h"

#include "unicode/unicode.h"

namespace memlens {

namespace {

using unicode::CodePointClass;

constexpr char32_t kRightSingleQuote = 0x2019;

bool isWordClass(CodePointClass c) {
  return c == CodePointClass::kLetter || c == CodePointClass::kMark || c == CodePointClass::kNumber;
}

bool isAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool startsWithWordChar(std::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return isAsciiWordByte(c);
  return isWordClass(unicode::classify(unicode::decodeUtf8(text, pos)));
}

// The end of the marks that follow a punctuation or symbol token.
size_t skipMarks(std::string_view text, size_t pos) {
  while (pos < text.size() && static_cast<unsigned char>(text[pos]) >= 0x80) {
    size_t next = pos;
    if (unicode::classify(unicode::decodeUtf8(text, next)) != CodePointClass::kMark) break;
    pos = next;
  }
  return pos;
}

// The end of the word whose first code point ends before `pos`.
size_t wordEnd(std::string_view text, size_t pos) {
  const size_t n = text.size();
  while (pos < n) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      if (isAsciiWordByte(c)) {
        ++pos;
      } else if ((c == '\'' || c == '-') && startsWithWordChar(text, pos + 1)) {
        ++pos;
      } else {
        return pos;
      }
      continue;
    }
    size_t next = pos;
    const char32_t cp = unicode::decodeUtf8(text, next);
    if (!isWordClass(unicode::classify(cp)) &&
        !(cp == kRightSingleQuote && startsWithWordChar(text, next))) {
      return pos;
    }
    pos = next;
  }
  return pos;
}

}  // namespace

uint32_t WordTokeniser::intern(std::string_view token, Vocabulary& vocab) const {
  if (!lowercase_) return vocab.intern(token);
  bool changes = false;
  for (const char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
      changes = true;
      break;
    }
  }
  if (!changes) return vocab.intern(token);
  lowered_.clear();
  for (size_t pos = 0; pos < token.size();) {
    const auto c = static_cast<unsigned char>(token[pos]);
    if (c < 0x80) {
      lowered_ += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      ++pos;
    } else {
      unicode::appendUtf8(lowered_, unicode::toLower(unicode::decodeUtf8(token, pos)));
    }
  }
  return vocab.intern(lowered_);
}

void WordTokeniser::tokenise(std::string_view text, Vocabulary& vocab,
                             std::vector<TokenSpan>& out) const {
  const size_t n = text.size();
  size_t pos = 0;
  while (pos < n) {
    const auto c = static_cast<unsigned char>(text[pos]);
    size_t end;
    if (c < 0x80) {
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        ++pos;
        continue;
      }
      end = isAsciiWordByte(c) ? wordEnd(text, pos + 1) : skipMarks(text, pos + 1);
    } else {
      size_t next = pos;
      const char32_t cp = unicode::decodeUtf8(text, next);
      if (unicode::isWhiteSpace(cp)) {
        pos = next;
        continue;
      }
      end = isWordClass(unicode::classify(cp)) ? wordEnd(text, next) : skipMarks(text, next);
    }
    const std::string_view token = text.substr(pos, end - pos);
    out.push_back(
        {intern(token, vocab), static_cast<uint32_t>(pos), static_cast<uint32_t>(end - pos)});
    pos = end;
  }
}

}  // namespace memlens
