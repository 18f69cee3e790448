#pragma once

#include <QPlainTextEdit>
#include <cstdint>

namespace memlens {
struct TokenisedCorpus;
}

namespace memlens::views {

// A read-only view of a corpus token in its context: the lines around it, with the file and
// line numbers, the token itself highlighted.
class SourceContextView : public QPlainTextEdit {
  Q_OBJECT

 public:
  static constexpr int kLinesAround = 4;

  explicit SourceContextView(QWidget* parent = nullptr);

  // Shows token `token` of `corpus` (an index into its token stream).
  void showToken(const TokenisedCorpus& corpus, uint64_t token);
  // Clears the view, leaving `hint` as its placeholder.
  void clearWithHint(const QString& hint);

 protected:
  void resizeEvent(QResizeEvent* event) override;
};

}  // namespace memlens::views
