#include "corpus/corpus_text_page.h"

#include <QColor>
#include <QFileInfo>
#include <algorithm>
#include <cmath>
#include <string_view>

#include "common/inspect_colours.h"

namespace memlens::views {

namespace {

QString escaped(std::string_view bytes) {
  return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size())).toHtmlEscaped();
}

// ColorBrewer's sequential Oranges, ends of the ramp: dark enough to see, light enough for text.
const QColor kSurprisalLow{0xff, 0xf5, 0xeb};
const QColor kSurprisalHigh{0xf1, 0x69, 0x13};
constexpr double kSurprisalCapBits = 16.0;

// A line of a document whose text is absent (a memory opened without its corpus): its tokens
// as the vocabulary spells them, space-separated, each still a link; the reason in a tooltip.
QString tokensOnlyRow(const TokenisedCorpus& corpus, size_t lineIndex, const Document& doc,
                      uint64_t marked) {
  const TokenStream& tokens = corpus.tokens;
  const TokenStream::Line& line = tokens.line(lineIndex);
  QString html = QStringLiteral("<tr><td class='where'>%1:%2</td><td title='%3'><i>")
                     .arg(QFileInfo(QString::fromStdString(doc.path)).fileName().toHtmlEscaped(),
                          QString::number(line.number),
                          QString::fromStdString(doc.textMissing).toHtmlEscaped());
  for (uint64_t t = line.firstToken; t < tokens.lineEnd(lineIndex); ++t) {
    QString text = escaped(corpus.vocab.displayText(tokens.id(t)));
    if (t == marked) text = QStringLiteral("<b><u>%1</u></b>").arg(text);
    html += QStringLiteral("<a href='token:%1'>%2</a> ").arg(QString::number(t), text);
  }
  return html + QStringLiteral("</i></td></tr>");
}

}  // namespace

const TokenRecord* findOutcome(const EvaluationReport& outcomes, uint64_t token) {
  const auto it = std::lower_bound(outcomes.tokens.begin(), outcomes.tokens.end(), token,
                                   [](const TokenRecord& r, uint64_t t) { return r.source < t; });
  return it != outcomes.tokens.end() && it->source == token ? &*it : nullptr;
}

QString tintColour(const TokenRecord& record, TextTint tint) {
  if (tint == TextTint::kCorrectness)
    return (record.rank == 1 ? kMatchColour : kMismatchColour).name();
  if (tint != TextTint::kSurprisal) return {};
  const double bits = record.probability > 0.0 ? -std::log2(record.probability) : kSurprisalCapBits;
  const double t = std::clamp(bits / kSurprisalCapBits, 0.0, 1.0);
  auto mix = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  return QColor(mix(kSurprisalLow.red(), kSurprisalHigh.red()),
                mix(kSurprisalLow.green(), kSurprisalHigh.green()),
                mix(kSurprisalLow.blue(), kSurprisalHigh.blue()))
      .name();
}

QString renderTextPage(const TokenisedCorpus& corpus, const EvaluationReport* outcomes,
                       size_t firstLine, size_t count, TextTint tint, uint64_t marked) {
  const TokenStream& tokens = corpus.tokens;
  const size_t end = std::min(tokens.lineCount(), firstLine + count);
  QString html = QStringLiteral(
      "<html><head><style>a { text-decoration: none; color: black; }"
      " td.where { color: #707070; padding-right: 10px; white-space: nowrap; }"
      " td { vertical-align: top; padding-bottom: 3px; }</style></head><body>"
      "<table cellspacing='0' cellpadding='0'>");
  for (size_t i = firstLine; i < end; ++i) {
    const TokenStream::Line& line = tokens.line(i);
    const Document& doc = corpus.corpus->document(line.document);
    if (!doc.textAvailable) {
      html += tokensOnlyRow(corpus, i, doc, marked);
      continue;
    }
    const size_t lineStart = line.byteOffset - doc.bomBytes;
    size_t lineEnd = doc.text.find('\n', lineStart);
    if (lineEnd == std::string_view::npos) lineEnd = doc.text.size();
    html += QStringLiteral("<tr><td class='where'>%1:%2</td><td>")
                .arg(QFileInfo(QString::fromStdString(doc.path)).fileName().toHtmlEscaped(),
                     QString::number(line.number));
    size_t at = lineStart;  // bytes before the next token are plain text (spaces, ...)
    for (uint64_t t = line.firstToken; t < tokens.lineEnd(i); ++t) {
      const TokenPosition p = tokens.position(t);
      const size_t start = p.byteOffset - doc.bomBytes;
      if (start > at) html += escaped(doc.text.substr(at, start - at));
      // A BPE token can begin inside the previous one's bytes (a split code point): no repeats.
      const size_t from = std::max(start, at);
      const size_t to = std::max(from, start + p.length);
      QString text = escaped(doc.text.substr(from, to - from));
      if (t == marked) text = QStringLiteral("<b><u>%1</u></b>").arg(text);
      const TokenRecord* r = outcomes ? findOutcome(*outcomes, t) : nullptr;
      const QString colour = r ? tintColour(*r, tint) : QString();
      if (colour.isEmpty()) {
        html += QStringLiteral("<a href='token:%1'>%2</a>").arg(QString::number(t), text);
      } else {
        html += QStringLiteral("<a href='token:%1' style='background-color:%2'>%3</a>")
                    .arg(QString::number(t), colour, text);
      }
      at = to;
    }
    if (lineEnd > at) html += escaped(doc.text.substr(at, lineEnd - at));
    html += QStringLiteral("</td></tr>");
  }
  html += QStringLiteral("</table></body></html>");
  return html;
}

}  // namespace memlens::views
