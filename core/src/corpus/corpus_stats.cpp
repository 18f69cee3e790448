#include "memlens/corpus_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "memlens/json_writer.h"

namespace memlens {

namespace {

// Log-spaced sample points 1, ~1.12, ... up to n (20 per decade), n always included.
std::vector<uint64_t> curvePoints(uint64_t n) {
  std::vector<uint64_t> points;
  for (int k = 0;; ++k) {
    const auto p = static_cast<uint64_t>(std::llround(std::pow(10.0, k / 20.0)));
    if (p >= n) break;
    if (points.empty() || points.back() != p) points.push_back(p);
  }
  points.push_back(n);
  return points;
}

}  // namespace

CorpusStats CorpusStats::compute(const Corpus& corpus, const TokenStream& tokens,
                                 const Vocabulary& vocab, size_t topTypeCount) {
  CorpusStats stats;
  stats.documents = corpus.documentCount();
  stats.bytes = corpus.totalBytes();
  stats.lines = tokens.lineCount();
  stats.tokens = tokens.size();

  std::vector<uint64_t> counts(vocab.size(), 0);
  // docStamp[id] = 1 + the last document the type was seen in: per-document type counts
  // without a set per document.
  std::vector<uint32_t> docStamp(vocab.size(), 0);
  const std::vector<uint64_t> points = curvePoints(tokens.size());
  size_t nextPoint = 0;
  uint64_t types = 0;

  stats.perDocument.resize(corpus.documentCount());
  for (size_t d = 0; d < corpus.documentCount(); ++d) {
    stats.perDocument[d].path = corpus.document(d).path;
    stats.perDocument[d].bytes = corpus.document(d).sizeBytes;
  }
  for (size_t l = 0; l < tokens.lineCount(); ++l) {
    const TokenStream::Line& line = tokens.line(l);
    DocumentStats& doc = stats.perDocument[line.document];
    ++doc.lines;
    const size_t end = tokens.lineEnd(l);
    if (end == line.firstToken) ++stats.emptyLines;
    for (size_t t = line.firstToken; t < end; ++t) {
      const uint32_t id = tokens.id(t);
      if (counts[id]++ == 0) ++types;
      if (docStamp[id] != line.document + 1) {
        docStamp[id] = line.document + 1;
        ++doc.types;
      }
      ++doc.tokens;
      if (nextPoint < points.size() && t + 1 == points[nextPoint]) {
        stats.typeTokenCurve.emplace_back(t + 1, types);
        ++nextPoint;
      }
    }
  }
  stats.types = types;
  stats.hapaxes = static_cast<uint64_t>(std::count(counts.begin(), counts.end(), 1));

  std::vector<uint32_t> order(vocab.size());
  std::iota(order.begin(), order.end(), 0u);
  const size_t top = std::min<size_t>(topTypeCount, types);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                    [&](uint32_t a, uint32_t b) {
                      return counts[a] != counts[b] ? counts[a] > counts[b] : a < b;
                    });
  for (size_t i = 0; i < top; ++i) {
    stats.topTypes.emplace_back(std::string(vocab.text(order[i])), counts[order[i]]);
  }
  return stats;
}

std::string CorpusStats::toJson() const {
  JsonWriter json;
  json.beginObject()
      .field("documents", documents)
      .field("bytes", bytes)
      .field("lines", lines)
      .field("emptyLines", emptyLines)
      .field("tokens", tokens)
      .field("types", types)
      .field("hapaxes", hapaxes);
  json.key("perDocument").beginArray();
  for (const DocumentStats& d : perDocument) {
    json.beginObject()
        .field("path", d.path)
        .field("bytes", d.bytes)
        .field("lines", d.lines)
        .field("tokens", d.tokens)
        .field("types", d.types)
        .endObject();
  }
  json.endArray().key("typeTokenCurve").beginArray();
  for (const auto& [read, distinct] : typeTokenCurve)
    json.beginArray().value(read).value(distinct).endArray();
  json.endArray().key("topTypes").beginArray();
  for (const auto& [type, count] : topTypes) json.beginArray().value(type).value(count).endArray();
  json.endArray().endObject();
  return json.str();
}

}  // namespace memlens
