#include "common/token_text.h"

#include <QFileInfo>
#include <QStringList>

#include "memlens/edited_memory.h"

namespace memlens::views {

QString tokenText(const Vocabulary& vocab, uint32_t id) {
  if (id >= vocab.size()) return QStringLiteral("<unknown>");
  const std::string_view text = vocab.text(id);
  return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString tokensText(const Vocabulary& vocab, std::span<const uint32_t> ids, uint32_t padding) {
  QStringList words;
  for (uint32_t id : ids) {
    if (id != padding) words.append(tokenText(vocab, id));
  }
  return words.join(QLatin1Char(' '));
}

QString sourceText(const TokenisedCorpus& corpus, uint64_t source) {
  if (source & EditedMemory::kInsertedSource) return QStringLiteral("inserted");
  if (source >= corpus.tokens.size()) return {};
  const TokenPosition p = corpus.tokens.position(source);
  const QString path = QString::fromStdString(corpus.corpus->document(p.document).path);
  return QStringLiteral("%1:%2").arg(QFileInfo(path).fileName()).arg(p.line);
}

}  // namespace memlens::views
