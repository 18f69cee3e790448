#include "tokenise/space_tokeniser.h"

#include "unicode/unicode.h"

namespace memlens {
namespace {

// Python's str.isspace(), which str.split() splits on.
bool isPythonSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1C && cp <= 0x1F);
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

}  // namespace

void SpaceTokeniser::tokenise(std::string_view text, Vocabulary& vocab,
                              std::vector<TokenSpan>& out) const {
  size_t pos = 0;
  size_t start = 0;
  auto flush = [&](size_t end) {
    if (end > start)
      out.push_back({vocab.intern(text.substr(start, end - start)), static_cast<uint32_t>(start),
                     static_cast<uint32_t>(end - start)});
  };
  while (pos < text.size()) {
    const size_t at = pos;
    const char32_t cp = unicode::decodeUtf8(text, pos);
    if (isPythonSpace(cp)) {
      flush(at);
      start = pos;
    }
  }
  flush(text.size());
}

}  // namespace memlens
