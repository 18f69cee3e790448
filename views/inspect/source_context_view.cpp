#include "inspect/source_context_view.h"

#include <QFileInfo>
#include <algorithm>
#include <string_view>

#include "memlens/tokenised_corpus.h"

namespace memlens::views {

namespace {

QString utf8(std::string_view bytes) {
  return QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
}

// The offset of the first byte of the line holding byte `pos`.
size_t lineStart(std::string_view text, size_t pos) {
  if (pos == 0) return 0;
  const size_t newline = text.rfind('\n', pos - 1);
  return newline == std::string_view::npos ? 0 : newline + 1;
}

}  // namespace

SourceContextView::SourceContextView(QWidget* parent) : QPlainTextEdit(parent) {
  setReadOnly(true);
  setLineWrapMode(QPlainTextEdit::WidgetWidth);
  setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
}

void SourceContextView::clearWithHint(const QString& hint) {
  clear();
  setExtraSelections({});
  setPlaceholderText(hint);
}

void SourceContextView::showToken(const TokenisedCorpus& corpus, uint64_t token) {
  const TokenPosition position = corpus.tokens.position(token);
  const Document& doc = corpus.corpus->document(position.document);
  if (!doc.textAvailable) {
    clearWithHint(QStringLiteral("%1, line %2: %3")
                      .arg(QFileInfo(QString::fromStdString(doc.path)).fileName())
                      .arg(position.line)
                      .arg(QString::fromStdString(doc.textMissing)));
    return;
  }
  const std::string_view text = doc.text;
  // Offsets into doc.text, which starts after the byte-order mark.
  const size_t target = position.byteOffset - doc.bomBytes;
  size_t from = lineStart(text, target);
  uint64_t firstLine = position.line;
  for (int i = 0; i < kLinesAround && from > 0; ++i, --firstLine) from = lineStart(text, from - 1);
  size_t to = target;
  for (int i = 0; i <= kLinesAround && to < text.size(); ++i) {
    const size_t next = text.find('\n', to);
    to = next == std::string_view::npos ? text.size() : next + 1;
  }

  QString shown;
  int highlightStart = 0;
  uint64_t number = firstLine;
  size_t at = from;
  while (at < to) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos || end > to) end = to;
    std::string_view line = text.substr(at, end - at);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const QString prefix = QStringLiteral("%1  ").arg(number, 6);
    if (target >= at && target <= at + line.size()) {
      highlightStart =
          static_cast<int>(shown.size() + prefix.size() + utf8(line.substr(0, target - at)).size());
    }
    shown += prefix + utf8(line) + QLatin1Char('\n');
    at = end + 1;
    ++number;
  }
  const QString header = QStringLiteral("%1, line %2\n\n")
                             .arg(QFileInfo(QString::fromStdString(doc.path)).fileName())
                             .arg(position.line);
  setPlainText(header + shown);

  const int start = static_cast<int>(header.size()) + highlightStart;
  const std::string_view word =
      text.substr(target, std::min<size_t>(position.length, text.size() - target));
  QTextEdit::ExtraSelection mark;
  mark.cursor = QTextCursor(document());
  mark.cursor.setPosition(start);
  mark.cursor.setPosition(start + static_cast<int>(utf8(word).size()), QTextCursor::KeepAnchor);
  mark.format.setBackground(QColor(0xfd, 0xd0, 0xa2));
  mark.format.setForeground(QColor(Qt::black));
  mark.format.setFontWeight(QFont::Bold);
  setExtraSelections({mark});
  // Scroll the marked line into the middle rather than leaving it at the bottom edge.
  QTextCursor centre = mark.cursor;
  centre.clearSelection();
  setTextCursor(centre);
  centerCursor();
}

void SourceContextView::resizeEvent(QResizeEvent* event) {
  QPlainTextEdit::resizeEvent(event);
  // Lines wrap and fit anew: keep the marked token in the middle (a token is often shown before
  // the page has its final size).
  if (!extraSelections().isEmpty()) centerCursor();
}

}  // namespace memlens::views
