// The GPT-2 BPE loader on arbitrary vocabulary and merges files, then the loaded tokeniser on
// arbitrary text. The input is "VOCAB\n@@\nMERGES\n@@\nTEXT"; missing parts are empty.
#include <vector>

#include "memlens/tokeniser.h"
#include "scratch_file.h"
#include "unicode/utf8.h"

using namespace memlens;
using fuzz::require;

namespace {

std::string_view nextPart(std::string_view& rest) {
  constexpr std::string_view kSeparator = "\n@@\n";
  const size_t at = rest.find(kSeparator);
  const std::string_view part = rest.substr(0, at);
  rest = at == std::string_view::npos ? std::string_view() : rest.substr(at + kSeparator.size());
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest = fuzz::asText(data, size);
  TokeniserOptions options;
  options.kind = TokeniserKind::kGpt2;
  options.vocabPath = fuzz::writeScratch("vocab.json", nextPart(rest));
  options.mergesPath = fuzz::writeScratch("merges.txt", nextPart(rest));
  const std::string_view text = rest;

  auto tokeniser = createTokeniser(options);
  if (!tokeniser) {
    require(!tokeniser.status().message().empty());
    return 0;
  }
  // tokenise() takes valid UTF-8 only, as the corpus reader guarantees.
  if (findInvalidUtf8(text) != std::string_view::npos) return 0;
  Vocabulary vocab = (*tokeniser)->makeVocabulary();
  std::vector<TokenSpan> spans;
  (*tokeniser)->tokenise(text, vocab, spans);
  // Byte-level BPE covers every byte exactly once, in order.
  uint64_t covered = 0;
  for (const TokenSpan& t : spans) {
    require(t.id < vocab.size() && t.begin == covered);
    covered += t.length;
  }
  require(covered == text.size());
  return 0;
}
