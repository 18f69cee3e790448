#pragma once

#include <QWidget>
#include <cstdint>
#include <memory>

#include "corpus/corpus_text_page.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;
class QUrl;

namespace memlens {
class Experiment;
}

namespace memlens::views {

// The corpus as text, a page of lines at a time (so a corpus of millions of lines costs one
// page), every token clickable. After a run the test tokens are tinted by whether the memory
// predicted them or by surprisal, with hover text (true token, prediction, probability, rank);
// "Next Mistake" (F3) pages to the next wrong prediction. Renders immutable snapshots only.
class CorpusTextView : public QWidget {
  Q_OBJECT

 public:
  static constexpr size_t kPageLines = 100;

  explicit CorpusTextView(QWidget* parent = nullptr);

  // The text to show (null: an empty page); drops outcomes of another corpus.
  void setCorpus(std::shared_ptr<const TokenisedCorpus> corpus);
  // Tints with the run of `experiment` when it was trained on the corpus shown (null: no tint).
  void setOutcomes(std::shared_ptr<const Experiment> experiment);
  // Pages to corpus token `token` and marks it.
  void showToken(uint64_t token);

 public Q_SLOTS:
  void nextPage();
  void previousPage();
  // Pages to the first wrongly predicted test token after the marked one (or the page start).
  void nextMistake();

 Q_SIGNALS:
  // The user clicked corpus token `token`.
  void tokenActivated(quint64 token);

 private:
  void showPage(size_t firstLine);
  void render();
  void onHover(const QUrl& link);
  void updateLegend();

  std::shared_ptr<const TokenisedCorpus> corpus_;
  std::shared_ptr<const Experiment> experiment_;  // keeps outcomes_ alive
  const EvaluationReport* outcomes_ = nullptr;
  size_t firstLine_ = 0;
  uint64_t marked_ = UINT64_MAX;
  bool syncing_ = false;  // the document box and line spin follow a page change

  QComboBox* document_;
  QSpinBox* line_;
  QPushButton* previous_;
  QPushButton* next_;
  QComboBox* tint_;
  QPushButton* nextMistake_;
  QLabel* legend_;
  QTextBrowser* browser_;
};

}  // namespace memlens::views
