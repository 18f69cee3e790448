#include <QComboBox>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTextBlock>
#include <QTextBrowser>
#include <QtTest>
#include <map>

#include "common/inspect_colours.h"
#include "corpus/corpus_text_view.h"
#include "find_child.h"
#include "memlens/memory_file.h"
#include "small_experiment.h"

using memlens::Algorithm;
using memlens::Experiment;
using memlens::TokenisedCorpus;
using memlens::test::child;
using memlens::views::CorpusTextView;
using memlens::views::TextTint;

namespace {

std::shared_ptr<const TokenisedCorpus> corpusOf(const std::shared_ptr<const Experiment>& e) {
  return {e, &e->corpus()};  // aliasing: the experiment keeps its corpus alive
}

// Every token link of a page: token index → (its text, its background or "").
std::map<uint64_t, std::pair<QString, QString>> links(const QString& html) {
  static const QRegularExpression link(QStringLiteral(
      "<a href='token:(\\d+)'(?: style='background-color:(#[0-9a-f]{6})')?>(.*?)</a>"));
  std::map<uint64_t, std::pair<QString, QString>> out;
  for (auto it = link.globalMatch(html); it.hasNext();) {
    const auto m = it.next();
    out[m.captured(1).toULongLong()] = {m.captured(3), m.captured(2)};
  }
  return out;
}

// The viewport point of the link to `token` in `browser`'s document.
QPoint linkPoint(QTextBrowser* browser, uint64_t token) {
  const QString href = QStringLiteral("token:%1").arg(token);
  for (QTextBlock b = browser->document()->begin(); b.isValid(); b = b.next()) {
    for (auto it = b.begin(); !it.atEnd(); ++it) {
      if (it.fragment().charFormat().anchorHref() != href) continue;
      QTextCursor c(browser->document());
      c.setPosition(it.fragment().position() + 1);
      return browser->cursorRect(c).center() - QPoint(2, 0);
    }
  }
  return {-1, -1};
}

}  // namespace

class TestCorpusTextView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { experiment_ = memlens::test::smallExperiment(dir_, Algorithm::kIb1); }

  // The page's tint rests on the report being in corpus order.
  void reportIsInCorpusOrder() {
    const auto& tokens = experiment_->report().tokens;
    QVERIFY(!tokens.empty());
    for (size_t i = 1; i < tokens.size(); ++i) QVERIFY(tokens[i - 1].source < tokens[i].source);
  }

  // Every token of the page is a link with its own text; exactly the test tokens are tinted, by
  // whether the memory got them right.
  void pageLinksAndTintsEveryToken() {
    const TokenisedCorpus& corpus = experiment_->corpus();
    const size_t first = 10, count = 60;
    const QString html = memlens::views::renderTextPage(corpus, &experiment_->report(), first,
                                                        count, TextTint::kCorrectness);
    const auto page = links(html);
    const uint64_t begin = corpus.tokens.line(first).firstToken;
    const uint64_t end = corpus.tokens.lineEnd(first + count - 1);
    QCOMPARE(page.size(), size_t(end - begin));
    std::map<uint64_t, bool> right;  // test tokens in range, from the report directly
    for (const memlens::TokenRecord& r : experiment_->report().tokens)
      if (r.source >= begin && r.source < end) right[r.source] = r.predictedId == r.trueId;
    QVERIFY2(!right.empty(), "the page should hold test tokens");
    for (uint64_t t = begin; t < end; ++t) {
      QVERIFY(page.count(t));
      const auto& [text, colour] = page.at(t);
      QCOMPARE(text, QString::fromStdString(std::string(corpus.vocab.text(corpus.tokens.id(t)))));
      if (!right.count(t)) {
        QVERIFY2(colour.isEmpty(), qPrintable(QStringLiteral("token %1 is no test token").arg(t)));
      } else {
        QCOMPARE(
            colour,
            (right[t] ? memlens::views::kMatchColour : memlens::views::kMismatchColour).name());
      }
    }
    const QString plain = memlens::views::renderTextPage(corpus, &experiment_->report(), first,
                                                         count, TextTint::kNone);
    for (const auto& [t, link] : links(plain)) QVERIFY(link.second.isEmpty());
  }

  // Clicking a word names its corpus token; Next Mistake lands on the first wrong test token.
  void clicksAndNextMistake() {
    CorpusTextView view;
    auto* browser = child<QTextBrowser>(&view, "corpusText");
    view.resize(900, 700);
    view.setCorpus(corpusOf(experiment_));
    view.setOutcomes(experiment_);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy activated(&view, &CorpusTextView::tokenActivated);
    const uint64_t target = experiment_->corpus().tokens.line(3).firstToken + 1;
    const QPoint at = linkPoint(browser, target);
    QVERIFY(at.x() >= 0);
    QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toULongLong(), target);

    const memlens::TokenRecord* wrong = nullptr;
    for (const auto& r : experiment_->report().tokens)
      if (r.predictedId != r.trueId) {
        wrong = &r;
        break;
      }
    QVERIFY(wrong);
    view.nextMistake();
    QVERIFY(browser->toHtml().contains(QStringLiteral("token:%1").arg(wrong->source)));
    // The page starts at most two lines above the mistake (the line field shows its first line).
    const auto& tokens = experiment_->corpus().tokens;
    const int top = child<QSpinBox>(&view, "textLine")->value();
    const uint64_t mistakeLine = tokens.line(tokens.lineOf(wrong->source)).number;
    QVERIFY(top + 2 >= static_cast<int>(mistakeLine));
    QVERIFY(top <= static_cast<int>(mistakeLine));

    // Another corpus drops the outcomes: nothing to tint, no mistakes to go to.
    QTemporaryDir other;
    auto second = memlens::test::smallExperiment(other, Algorithm::kIgTree);
    view.setCorpus(corpusOf(second));
    QVERIFY(!child<QComboBox>(&view, "textTint")->isEnabled());
    for (const auto& [t, link] : links(memlens::views::renderTextPage(second->corpus(), nullptr, 0,
                                                                      5, TextTint::kCorrectness)))
      QVERIFY(link.second.isEmpty());
  }

  // A memory opened without its corpus text: the same token links, spelt from the vocabulary,
  // and the reason the text is missing.
  void documentWithoutTextShowsItsTokens() {
    const std::string path = dir_.filePath("detached.mlm").toStdString();
    QVERIFY(memlens::saveMemory(*experiment_, path).isOk());
    memlens::MemoryOpenOptions options;
    options.attachCorpus = false;
    auto opened = memlens::openMemory(path, options);
    QVERIFY(opened.isOk());
    const TokenisedCorpus& corpus = (*opened)->corpus();
    const QString html = memlens::views::renderTextPage(corpus, nullptr, 0, 5, TextTint::kNone);
    const auto withText = links(
        memlens::views::renderTextPage(experiment_->corpus(), nullptr, 0, 5, TextTint::kNone));
    const auto withoutText = links(html);
    QCOMPARE(withoutText.size(), withText.size());
    for (const auto& [t, link] : withoutText) {
      const std::string_view text = corpus.vocab.text(corpus.tokens.id(t));
      QCOMPARE(link.first, QString::fromUtf8(text.data(), qsizetype(text.size())));
    }
    QVERIFY(html.contains(QStringLiteral("the corpus was not attached")));
  }

  void pagesClampAtTheEnds() {
    CorpusTextView view;
    view.setCorpus(corpusOf(experiment_));
    // The line field shows the page's first line.
    const auto* top = child<QSpinBox>(&view, "textLine");
    const auto& tokens = experiment_->corpus().tokens;
    view.previousPage();
    QCOMPARE(top->value(), static_cast<int>(tokens.line(0).number));
    const size_t lines = tokens.lineCount();
    for (int i = 0; i < 10; ++i) view.nextPage();
    QVERIFY(lines > CorpusTextView::kPageLines);
    // The last page is a full one.
    QCOMPARE(top->value(),
             static_cast<int>(tokens.line(lines - CorpusTextView::kPageLines).number));
    view.setCorpus(nullptr);
    QVERIFY(child<QTextBrowser>(&view, "corpusText")->toPlainText().isEmpty());
  }

 private:
  QTemporaryDir dir_;
  std::shared_ptr<const Experiment> experiment_;
};

QTEST_MAIN(TestCorpusTextView)
#include "tst_corpus_text_view.moc"
