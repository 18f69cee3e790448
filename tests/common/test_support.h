#pragma once

// Helpers shared by the core tests: temporary files and a trivial tokeniser, so tests of the
// corpus pipeline do not depend on the word tokeniser's rules.
#include <QString>
#include <QTemporaryDir>

#include <fstream>
#include <string>
#include <string_view>

#include "memlens/instance_set.h"
#include "memlens/tokeniser.h"

namespace memlens::test {

inline std::string writeFile(const QTemporaryDir& dir, const std::string& name,
                             std::string_view bytes) {
  const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

#ifdef MEMLENS_DEMO_CORPUS
// The first `lines` lines of the KJV demo corpus; empty when it was not built.
inline std::string kjvHead(int lines) {
  const std::string kjv = readFile(MEMLENS_DEMO_CORPUS);
  size_t cut = 0;
  for (int i = 0; i < lines && cut < kjv.size(); ++i) {
    const size_t end = kjv.find('\n', cut);
    cut = end == std::string::npos ? kjv.size() : end + 1;
  }
  return kjv.substr(0, cut);
}
#endif

// Width-1 instances from (context, token) pairs; sources count from 0.
inline InstanceSet bigramInstances(const std::vector<std::pair<uint32_t, uint32_t>>& pairs) {
  InstanceSet set;
  set.width = 1;
  for (auto [context, token] : pairs) {
    set.features.push_back(context);
    set.classes.push_back(token);
    set.sources.push_back(set.classes.size() - 1);
  }
  return set;
}

// Splits on ASCII spaces only; interns every piece.
class SpaceTokeniser : public Tokeniser {
 public:
  std::string name() const override { return "space"; }
  Vocabulary makeVocabulary() const override { return {}; }
  void tokenise(std::string_view text, Vocabulary& vocab,
                std::vector<TokenSpan>& out) const override {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      const size_t start = i;
      while (i < text.size() && text[i] != ' ') ++i;
      if (i > start) {
        out.push_back({vocab.intern(text.substr(start, i - start)), static_cast<uint32_t>(start),
                       static_cast<uint32_t>(i - start)});
      }
    }
  }
};

}  // namespace memlens::test
