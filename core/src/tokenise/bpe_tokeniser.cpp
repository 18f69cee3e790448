#include "tokenise/bpe_tokeniser.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "json/flat_json.h"
#include "unicode/unicode.h"
#include "unicode/utf8.h"

namespace memlens {

namespace {

using unicode::CodePointClass;

// Bounds the piece cache on corpora with very many distinct pieces; refilling is cheap.
constexpr size_t kMaxCachedPieces = size_t{1} << 20;

Status readFile(const std::string& path, const char* what, std::string& content) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::notFound("cannot open the GPT-2 " + std::string(what) + " file " + path + ": " +
                            std::strerror(errno));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::ioError("cannot read " + path + ": " + std::strerror(errno));
  content = std::move(buffer).str();
  return Status::ok();
}

// GPT-2's bytes_to_unicode(): printable Latin-1 bytes stand for themselves, the others are
// shifted to U+0100 and up, so every byte has a visible symbol.
std::string byteSymbol(unsigned byte) {
  const auto printable = [](unsigned b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  };
  char32_t cp = byte;
  if (!printable(byte)) {
    cp = 0x100;
    for (unsigned b = 0; b < byte; ++b) cp += printable(b) ? 0 : 1;
  }
  std::string out;
  unicode::appendUtf8(out, cp);
  return out;
}

size_t countCodePoints(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The classes GPT-2's pattern distinguishes: \p{L}, \p{N}, \s, and everything else.
enum class PatternClass { kLetter, kNumber, kSpace, kOther };

PatternClass patternClassAt(std::string_view text, size_t pos, size_t& next) {
  next = pos;
  const char32_t cp = unicode::decodeUtf8(text, next);
  if (unicode::isWhiteSpace(cp)) return PatternClass::kSpace;
  switch (unicode::classify(cp)) {
    case CodePointClass::kLetter:
      return PatternClass::kLetter;
    case CodePointClass::kNumber:
      return PatternClass::kNumber;
    default:
      return PatternClass::kOther;
  }
}

size_t runEnd(std::string_view text, size_t pos, PatternClass cls) {
  size_t next = pos;
  while (pos < text.size() && patternClassAt(text, pos, next) == cls) pos = next;
  return pos;
}

// The end of the match starting at `pos` of GPT-2's pre-tokeniser regex
//   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Every code point is in one of the classes, so a match always starts at `pos`.
size_t pieceEnd(std::string_view text, size_t pos) {
  const size_t n = text.size();
  if (text[pos] == '\'' && pos + 1 < n) {
    const char c = text[pos + 1];
    if (c == 's' || c == 't' || c == 'm' || c == 'd') return pos + 2;
    const std::string_view two = text.substr(pos + 1, 2);
    if (two == "re" || two == "ve" || two == "ll") return pos + 3;
  }
  size_t next = pos;
  const PatternClass cls = patternClassAt(text, pos, next);
  if (text[pos] == ' ' && next < n) {
    size_t after = next;
    const PatternClass following = patternClassAt(text, next, after);
    if (following != PatternClass::kSpace) return runEnd(text, after, following);
  }
  if (cls != PatternClass::kSpace) return runEnd(text, next, cls);
  // \s+(?!\S) backtracks to leave the last white space before a non-space to the next match
  // (where " ?\p{L}+" and friends can take a plain space); a lone white space falls to \s+.
  size_t lastStart = pos;
  size_t end = next;
  while (end < n) {
    size_t after = end;
    if (patternClassAt(text, end, after) != PatternClass::kSpace) break;
    lastStart = end;
    end = after;
  }
  if (end == n || lastStart == pos) return end;
  return lastStart;
}

}  // namespace

Result<std::unique_ptr<BpeTokeniser>> BpeTokeniser::load(const std::string& vocabPath,
                                                         const std::string& mergesPath) {
  std::unique_ptr<BpeTokeniser> tokeniser(new BpeTokeniser());
  if (Status s = tokeniser->loadEncoder(vocabPath); !s) return s;
  if (Status s = tokeniser->loadMerges(mergesPath); !s) return s;
  return tokeniser;
}

Status BpeTokeniser::loadEncoder(const std::string& path) {
  std::string content;
  if (Status s = readFile(path, "vocabulary (encoder.json / vocab.json)", content); !s) return s;
  auto members = parseFlatJsonObject(content, path);
  if (!members) return members.status();
  if (members->empty()) return Status::corrupt(path + ": the vocabulary is empty");
  tokens_.assign(members->size(), {});
  std::vector<bool> seen(members->size(), false);
  for (auto& [token, id] : *members) {
    if (id < 0 || static_cast<uint64_t>(id) >= members->size()) {
      return Status::corrupt(path + ": id " + std::to_string(id) + " of \"" + token +
                             "\" is outside 0.." + std::to_string(members->size() - 1) +
                             " (ids must number the entries densely)");
    }
    if (seen[id]) {
      return Status::corrupt(path + ": id " + std::to_string(id) + " is given to both \"" +
                             tokens_[id] + "\" and \"" + token + "\"");
    }
    seen[id] = true;
    if (!ids_.emplace(token, static_cast<uint32_t>(id)).second) {
      return Status::corrupt(path + ": the token \"" + token + "\" appears twice");
    }
    tokens_[id] = std::move(token);
  }
  tokenBytes_.reserve(tokens_.size());
  for (const std::string& token : tokens_) {
    tokenBytes_.push_back(static_cast<uint32_t>(countCodePoints(token)));
  }
  for (unsigned byte = 0; byte < 256; ++byte) {
    const auto it = ids_.find(byteSymbol(byte));
    if (it == ids_.end()) {
      return Status::corrupt(path + ": no entry for the symbol of byte " + std::to_string(byte) +
                             " (\"" + byteSymbol(byte) + "\"); not a byte-level BPE vocabulary");
    }
    byteIds_[byte] = it->second;
  }
  return Status::ok();
}

Status BpeTokeniser::loadMerges(const std::string& path) {
  std::string content;
  if (Status s = readFile(path, "merges (vocab.bpe / merges.txt)", content); !s) return s;
  if (const size_t bad = findInvalidUtf8(content); bad != std::string_view::npos) {
    return Status::corrupt(path + " line " + std::to_string(lineColumnAt(content, bad).line) +
                           ": invalid UTF-8");
  }
  const std::string_view text = content;
  uint32_t rank = 0;
  size_t lineNumber = 0;
  for (size_t start = 0; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (lineNumber == 1 && line.starts_with("#version")) continue;
    if (line.empty() && text.find_first_not_of("\r\n", start) == std::string_view::npos) break;

    std::vector<std::string_view> fields;
    for (size_t i = 0; i < line.size();) {
      if (line[i] == ' ' || line[i] == '\t') {
        ++i;
        continue;
      }
      const size_t j = std::min(line.find_first_of(" \t", i), line.size());
      fields.push_back(line.substr(i, j - i));
      i = j;
    }
    const std::string where = path + " line " + std::to_string(lineNumber) + ": ";
    if (fields.size() != 2) {
      return Status::corrupt(where + "expected two symbols separated by a space, found " +
                             std::to_string(fields.size()));
    }
    uint32_t parts[2];
    for (int k = 0; k < 2; ++k) {
      const auto it = ids_.find(std::string(fields[k]));
      if (it == ids_.end()) {
        return Status::corrupt(where + "the symbol \"" + std::string(fields[k]) +
                               "\" is not in the vocabulary");
      }
      parts[k] = it->second;
    }
    const auto merged = ids_.find(std::string(fields[0]) + std::string(fields[1]));
    if (merged == ids_.end()) {
      return Status::corrupt(where + "the merged symbol \"" + std::string(fields[0]) +
                             std::string(fields[1]) + "\" is not in the vocabulary");
    }
    // A repeated pair keeps its last rank, as GPT-2's dict(zip(merges, ranks)) does.
    merges_[(uint64_t{parts[0]} << 32) | parts[1]] = {rank++, merged->second};
  }
  // Without merges GPT-2 would split text into bytes: surely the wrong file.
  if (merges_.empty())
    return Status::corrupt(path + ": no merges; not a vocab.bpe / merges.txt file");
  return Status::ok();
}

Vocabulary BpeTokeniser::makeVocabulary() const {
  Vocabulary vocab;
  for (const std::string& token : tokens_) vocab.intern(token);
  return vocab;
}

const std::vector<uint32_t>& BpeTokeniser::encodePiece(std::string_view piece) const {
  if (const auto it = cache_.find(piece); it != cache_.end()) return it->second;
  if (cache_.size() >= kMaxCachedPieces) cache_.clear();

  std::vector<uint32_t> word;
  word.reserve(piece.size());
  for (const char c : piece) word.push_back(byteIds_[static_cast<unsigned char>(c)]);
  while (word.size() > 1) {
    const Merge* best = nullptr;
    size_t bestAt = 0;
    for (size_t i = 0; i + 1 < word.size(); ++i) {
      const auto it = merges_.find((uint64_t{word[i]} << 32) | word[i + 1]);
      if (it != merges_.end() && (best == nullptr || it->second.rank < best->rank)) {
        best = &it->second;
        bestAt = i;
      }
    }
    if (best == nullptr) break;
    // Like GPT-2, merge every occurrence of the best pair in one left-to-right pass.
    const uint32_t left = word[bestAt];
    const uint32_t right = word[bestAt + 1];
    size_t kept = 0;
    for (size_t i = 0; i < word.size();) {
      if (i + 1 < word.size() && word[i] == left && word[i + 1] == right) {
        word[kept++] = best->id;
        i += 2;
      } else {
        word[kept++] = word[i++];
      }
    }
    word.resize(kept);
  }
  return cache_.emplace(std::string(piece), std::move(word)).first->second;
}

void BpeTokeniser::tokenise(std::string_view text, Vocabulary& /*vocab*/,
                            std::vector<TokenSpan>& out) const {
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = pieceEnd(text, pos);
    auto begin = static_cast<uint32_t>(pos);
    for (const uint32_t id : encodePiece(text.substr(pos, end - pos))) {
      out.push_back({id, begin, tokenBytes_[id]});
      begin += tokenBytes_[id];
    }
    pos = end;
  }
}

}  // namespace memlens
