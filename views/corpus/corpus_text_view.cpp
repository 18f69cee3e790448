#include "corpus/corpus_text_view.h"

#include <QComboBox>
#include <QCursor>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QTextBrowser>
#include <QToolTip>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <string>

#include "memlens/experiment.h"

namespace memlens::views {

namespace {

// Index of the first stream line of document `d` (lines are in document order).
size_t firstLineOf(const TokenStream& tokens, uint32_t d) {
  size_t lo = 0, hi = tokens.lineCount();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (tokens.line(mid).document < d)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

QString swatch(const QString& colour, const QString& label) {
  return QStringLiteral("<span style='background-color:%1'>&nbsp;%2&nbsp;</span>")
      .arg(colour, label);
}

}  // namespace

CorpusTextView::CorpusTextView(QWidget* parent)
    : QWidget(parent),
      document_(new QComboBox(this)),
      line_(new QSpinBox(this)),
      previous_(new QPushButton(tr("&Previous Page"), this)),
      next_(new QPushButton(tr("&Next Page"), this)),
      tint_(new QComboBox(this)),
      nextMistake_(new QPushButton(tr("Next &Mistake"), this)),
      legend_(new QLabel(this)),
      browser_(new QTextBrowser(this)) {
  auto* bar = new QHBoxLayout;
  auto* documentLabel = new QLabel(tr("&Document:"), this);
  documentLabel->setBuddy(document_);
  auto* lineLabel = new QLabel(tr("&Line:"), this);
  lineLabel->setBuddy(line_);
  auto* tintLabel = new QLabel(tr("T&int:"), this);
  tintLabel->setBuddy(tint_);
  document_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  line_->setMinimum(1);
  line_->setKeyboardTracking(false);
  tint_->addItem(tr("correct or wrong"), static_cast<int>(TextTint::kCorrectness));
  tint_->addItem(tr("surprisal"), static_cast<int>(TextTint::kSurprisal));
  tint_->addItem(tr("none"), static_cast<int>(TextTint::kNone));
  previous_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageUp));
  next_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_PageDown));
  nextMistake_->setShortcut(QKeySequence(Qt::Key_F3));
  previous_->setToolTip(tr("The previous %1 lines (Ctrl+PgUp)").arg(kPageLines));
  next_->setToolTip(tr("The next %1 lines (Ctrl+PgDown)").arg(kPageLines));
  nextMistake_->setToolTip(tr("Go to the next test token the memory predicted wrongly (F3)"));
  bar->addWidget(documentLabel);
  bar->addWidget(document_);
  bar->addWidget(lineLabel);
  bar->addWidget(line_);
  bar->addWidget(previous_);
  bar->addWidget(next_);
  bar->addSpacing(16);
  bar->addWidget(tintLabel);
  bar->addWidget(tint_);
  bar->addWidget(nextMistake_);
  bar->addStretch(1);

  legend_->setTextFormat(Qt::RichText);
  browser_->setOpenLinks(false);
  browser_->setObjectName(QStringLiteral("corpusText"));
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(legend_);
  layout->addWidget(browser_, 1);

  connect(browser_, &QTextBrowser::anchorClicked, this, [this](const QUrl& link) {
    bool ok = false;
    const quint64 token = link.path().toULongLong(&ok);
    if (link.scheme() == QLatin1String("token") && ok) Q_EMIT tokenActivated(token);
  });
  connect(browser_, &QTextBrowser::highlighted, this, &CorpusTextView::onHover);
  connect(previous_, &QPushButton::clicked, this, &CorpusTextView::previousPage);
  connect(next_, &QPushButton::clicked, this, &CorpusTextView::nextPage);
  connect(nextMistake_, &QPushButton::clicked, this, &CorpusTextView::nextMistake);
  connect(tint_, &QComboBox::currentIndexChanged, this, [this] {
    render();
    updateLegend();
  });
  auto goToLine = [this] {
    if (syncing_ || !corpus_) return;
    const auto d = static_cast<uint32_t>(std::max(0, document_->currentIndex()));
    showPage(firstLineOf(corpus_->tokens, d) + static_cast<size_t>(line_->value() - 1));
  };
  connect(document_, &QComboBox::currentIndexChanged, this, [this, goToLine] {
    if (syncing_ || !corpus_) return;
    line_->setMaximum(static_cast<int>(std::max<uint64_t>(
        1, corpus_->corpus->document(static_cast<size_t>(document_->currentIndex())).lineCount)));
    line_->setValue(1);
    goToLine();
  });
  connect(line_, &QSpinBox::valueChanged, this, goToLine);
  setCorpus(nullptr);
}

void CorpusTextView::setCorpus(std::shared_ptr<const TokenisedCorpus> corpus) {
  corpus_ = std::move(corpus);
  if (experiment_ && (!corpus_ || &experiment_->corpus() != corpus_.get())) setOutcomes(nullptr);
  syncing_ = true;
  document_->clear();
  if (corpus_) {
    for (size_t d = 0; d < corpus_->corpus->documentCount(); ++d) {
      const Document& doc = corpus_->corpus->document(d);
      document_->addItem(QFileInfo(QString::fromStdString(doc.path)).fileName());
      document_->setItemData(static_cast<int>(d), QString::fromStdString(doc.path),
                             Qt::ToolTipRole);
    }
  }
  syncing_ = false;
  for (QWidget* w : {static_cast<QWidget*>(document_), static_cast<QWidget*>(line_),
                     static_cast<QWidget*>(previous_), static_cast<QWidget*>(next_)})
    w->setEnabled(corpus_ != nullptr);
  marked_ = UINT64_MAX;
  browser_->setPlaceholderText(tr("Open a corpus to read it here."));
  showPage(0);
  updateLegend();
}

void CorpusTextView::setOutcomes(std::shared_ptr<const Experiment> experiment) {
  experiment_ = experiment && corpus_ && &experiment->corpus() == corpus_.get()
                    ? std::move(experiment)
                    : nullptr;
  outcomes_ = experiment_ ? &experiment_->report() : nullptr;
  render();
  updateLegend();
}

void CorpusTextView::showToken(uint64_t token) {
  if (!corpus_ || token >= corpus_->tokens.size()) return;
  marked_ = token;
  const size_t line = corpus_->tokens.lineOf(token);
  showPage(line > 2 ? line - 2 : 0);  // a little of what came before
}

void CorpusTextView::nextPage() { showPage(firstLine_ + kPageLines); }

void CorpusTextView::previousPage() {
  showPage(firstLine_ > kPageLines ? firstLine_ - kPageLines : 0);
}

void CorpusTextView::nextMistake() {
  if (!outcomes_ || !corpus_) return;
  const uint64_t from = marked_ != UINT64_MAX ? marked_ + 1
                        : firstLine_ < corpus_->tokens.lineCount()
                            ? corpus_->tokens.line(firstLine_).firstToken
                            : 0;
  const auto& records = outcomes_->tokens;
  auto it = std::lower_bound(records.begin(), records.end(), from,
                             [](const TokenRecord& r, uint64_t t) { return r.source < t; });
  it = std::find_if(it, records.end(), [](const TokenRecord& r) { return r.rank != 1; });
  if (it != records.end()) showToken(it->source);
}

void CorpusTextView::showPage(size_t firstLine) {
  const size_t lines = corpus_ ? corpus_->tokens.lineCount() : 0;
  firstLine_ = std::min(firstLine, lines > kPageLines ? lines - kPageLines : 0);  // last page full
  render();
  if (!corpus_ || lines == 0) return;
  syncing_ = true;
  const TokenStream::Line& line = corpus_->tokens.line(firstLine_);
  document_->setCurrentIndex(static_cast<int>(line.document));
  line_->setMaximum(
      static_cast<int>(std::max<uint64_t>(1, corpus_->corpus->document(line.document).lineCount)));
  line_->setValue(static_cast<int>(line.number));
  syncing_ = false;
  previous_->setEnabled(firstLine_ > 0);
  next_->setEnabled(firstLine_ + kPageLines < lines);
}

void CorpusTextView::render() {
  if (!corpus_) {
    browser_->clear();
    return;
  }
  const auto tint = static_cast<TextTint>(tint_->currentData().toInt());
  browser_->setHtml(renderTextPage(*corpus_, outcomes_, firstLine_, kPageLines, tint, marked_));
  browser_->verticalScrollBar()->setValue(0);
}

void CorpusTextView::onHover(const QUrl& link) {
  bool ok = false;
  const uint64_t token = link.path().toULongLong(&ok);
  if (!ok || !corpus_ || token >= corpus_->tokens.size()) {
    QToolTip::hideText();
    return;
  }
  auto text = [this](uint32_t id) {
    const std::string_view t = corpus_->vocab.text(id);
    return QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size())).toHtmlEscaped();
  };
  const TokenPosition p = corpus_->tokens.position(token);
  QString tip =
      tr("<b>%1</b> &nbsp; token %2, line %3")
          .arg(text(corpus_->tokens.id(token)), QLocale().toString(static_cast<qulonglong>(token)),
               QLocale().toString(static_cast<qulonglong>(p.line)));
  if (const TokenRecord* r = outcomes_ ? findOutcome(*outcomes_, token) : nullptr) {
    tip += tr("<br>test token: predicted <b>%1</b> (%2)<br>p(%3) = %4, %5 bits, rank %6")
               .arg(text(r->predictedId), r->rank == 1 ? tr("right") : tr("wrong"), text(r->trueId),
                    QLocale().toString(r->probability, 'g', 3),
                    QLocale().toString(-std::log2(r->probability), 'f', 1),
                    QLocale().toString(r->rank));
  } else if (outcomes_) {
    tip += tr("<br>not a test token of this run");
  }
  tip += tr("<br><i>click to inspect</i>");
  QToolTip::showText(QCursor::pos(), tip, browser_);
}

void CorpusTextView::updateLegend() {
  const auto tint = static_cast<TextTint>(tint_->currentData().toInt());
  nextMistake_->setEnabled(outcomes_ != nullptr);
  tint_->setEnabled(outcomes_ != nullptr);
  if (!corpus_) {
    legend_->clear();
    return;
  }
  if (!outcomes_) {
    legend_->setText(tr("Train a memory to tint its test tokens. Click any token to inspect it."));
    return;
  }
  TokenRecord right, wrong;
  right.rank = 1;
  wrong.rank = 2;
  QString text;
  if (tint == TextTint::kCorrectness) {
    text = swatch(tintColour(right, tint), tr("predicted")) + QStringLiteral(" ") +
           swatch(tintColour(wrong, tint), tr("missed"));
  } else if (tint == TextTint::kSurprisal) {
    for (double bits : {0.0, 4.0, 8.0, 12.0, 16.0}) {
      TokenRecord r;
      r.probability = std::exp2(-bits);
      text += swatch(tintColour(r, tint), bits < 16.0 ? tr("%1 bits").arg(bits) : tr("≥ 16 bits")) +
              QStringLiteral(" ");
    }
  }
  legend_->setText(
      tr("Test tokens of the latest %1 run (%2 of them): %3 &nbsp; untinted tokens "
         "were trained on or held out for validation. Click any token to inspect it.")
          .arg(QLatin1String(algorithmName(experiment_->record().options.classifier.algorithm)),
               QLocale().toString(static_cast<qulonglong>(outcomes_->tokens.size())), text));
}

}  // namespace memlens::views
