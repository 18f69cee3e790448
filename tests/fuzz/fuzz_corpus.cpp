// Corpus::open on arbitrary bytes: a document or a Status, never a crash. findInvalidUtf8 is
// checked against a plain reference decoder, and accepted text goes through the word tokeniser.
#include <vector>

#include "memlens/corpus.h"
#include "memlens/tokeniser.h"
#include "scratch_file.h"
#include "unicode/utf8.h"

using namespace memlens;
using fuzz::require;

namespace {

// Unicode Table 3-7 (well-formed UTF-8 byte sequences), decoded the slow and obvious way.
size_t referenceInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t i = 0; i < text.size();) {
    const unsigned c = s[i];
    size_t len = c < 0x80 ? 1 : c < 0xC0 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF8 ? 4 : 0;
    if (len == 0 || i + len > text.size()) return i;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes = fuzz::asText(data, size);
  require(findInvalidUtf8(bytes) == referenceInvalidUtf8(bytes));

  const std::string path = fuzz::writeScratch("input.txt", bytes);
  auto corpus = Corpus::open({path});
  if (!corpus) {
    require(!corpus.status().message().empty());
    return 0;
  }
  require((*corpus)->documentCount() == 1);
  const Document& doc = (*corpus)->document(0);
  require(doc.sizeBytes == size && doc.text.size() + doc.bomBytes == size);
  require(findInvalidUtf8(doc.text) == std::string_view::npos);

  for (const bool lowercase : {false, true}) {
    TokeniserOptions options;
    options.lowercase = lowercase;
    auto tokeniser = createTokeniser(options);
    require(tokeniser.isOk());
    Vocabulary vocab = (*tokeniser)->makeVocabulary();
    std::vector<TokenSpan> spans;
    (*tokeniser)->tokenise(doc.text, vocab, spans);
    for (const TokenSpan& t : spans) {
      require(t.id < vocab.size() && t.length > 0);
      require(uint64_t{t.begin} + t.length <= doc.text.size());
    }
  }
  return 0;
}
