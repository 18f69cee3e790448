#include "generate/generate_widget.h"

#include <QColor>
#include <QComboBox>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QToolTip>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

#include "common/token_text.h"

namespace memlens::views {

namespace {

const QString kTokenScheme = QStringLiteral("token");

// White to mid blue with the token's probability: likely tokens stand out.
QString chipColour(double probability) {
  const double p = std::clamp(probability, 0.0, 1.0);
  auto mix = [p](int full) { return static_cast<int>(255.0 + (full - 255.0) * (0.15 + 0.85 * p)); };
  return QColor(mix(0x7a), mix(0xa7), mix(0xe8)).name();
}

}  // namespace

GenerateWidget::GenerateWidget(QWidget* parent)
    : QWidget(parent),
      pages_(new QStackedWidget(this)),
      prompt_(new QLineEdit(this)),
      memory_(new QLabel(this)),
      tokens_(new QSpinBox(this)),
      mode_(new QComboBox(this)),
      topKLabel_(new QLabel(tr("to&p k:"), this)),
      topK_(new QSpinBox(this)),
      seedLabel_(new QLabel(tr("s&eed:"), this)),
      seed_(new QSpinBox(this)),
      generate_(new QPushButton(tr("&Generate"), this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      status_(new QLabel(this)),
      output_(new QTextBrowser(this)) {
  auto* empty =
      new QLabel(tr("<h3>Train a memory first</h3>"
                    "<p>Open the <b>Train &amp; Evaluate</b> tab and press <b>Train</b> "
                    "(Ctrl+T).<br>Then type a prompt here and let the memory continue it, "
                    "one predicted token at a time.</p>"),
                 this);
  empty->setObjectName(QStringLiteral("generateEmpty"));
  empty->setAlignment(Qt::AlignCenter);
  empty->setWordWrap(true);

  prompt_->setObjectName(QStringLiteral("generatePrompt"));
  prompt_->setPlaceholderText(tr("Type a prompt, e.g. “and the LORD said unto”, and press Enter"));
  prompt_->setClearButtonEnabled(true);
  connect(prompt_, &QLineEdit::returnPressed, this, [this] {
    if (generate_->isEnabled()) Q_EMIT generateRequested();
  });
  auto* promptLabel = new QLabel(tr("&Prompt:"), this);
  promptLabel->setBuddy(prompt_);
  memory_->setObjectName(QStringLiteral("generateMemory"));
  tokens_->setObjectName(QStringLiteral("generateTokens"));
  tokens_->setRange(1, 1000);
  tokens_->setValue(static_cast<int>(GenerationOptions{}.tokens));
  tokens_->setToolTip(tr("How many tokens to add to the prompt"));
  auto* tokensLabel = new QLabel(tr("&Tokens:"), this);
  tokensLabel->setBuddy(tokens_);
  mode_->setObjectName(QStringLiteral("generateMode"));
  mode_->addItem(tr("Greedy"));
  mode_->addItem(tr("Top-k sampling"));
  mode_->setToolTip(
      tr("Greedy takes the memory's prediction; sampling draws among the k most "
         "probable tokens by their smoothed probabilities"));
  connect(mode_, &QComboBox::currentIndexChanged, this, &GenerateWidget::updateModeControls);
  topK_->setObjectName(QStringLiteral("generateTopK"));
  topK_->setRange(1, 1000);
  topK_->setValue(10);
  topKLabel_->setBuddy(topK_);
  seed_->setObjectName(QStringLiteral("generateSeed"));
  seed_->setRange(0, INT_MAX);
  seed_->setValue(static_cast<int>(GenerationOptions{}.seed));
  seed_->setToolTip(tr("The same seed draws the same tokens again"));
  seedLabel_->setBuddy(seed_);
  generate_->setObjectName(QStringLiteral("generateButton"));
  generate_->setDefault(true);
  connect(generate_, &QPushButton::clicked, this, &GenerateWidget::generateRequested);
  cancel_->setObjectName(QStringLiteral("generateCancel"));
  connect(cancel_, &QPushButton::clicked, this, &GenerateWidget::cancelRequested);
  status_->setObjectName(QStringLiteral("generateStatus"));
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  output_->setObjectName(QStringLiteral("generateOutput"));
  output_->setOpenLinks(false);
  QFont larger = output_->font();
  larger.setPointSizeF(larger.pointSizeF() * 1.3);
  output_->setFont(larger);
  output_->setPlaceholderText(
      tr("The prompt and its continuation appear here; click a generated "
         "token to inspect the context it was predicted from."));
  output_->viewport()->installEventFilter(this);
  connect(output_, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
    const int index = tokenAt(url.toString());
    if (index >= 0) Q_EMIT tokenActivated(index);
  });

  auto* content = new QWidget(this);
  auto* top = new QHBoxLayout;
  top->addWidget(promptLabel);
  top->addWidget(prompt_, 1);
  top->addWidget(memory_);
  auto* controls = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{tokensLabel, tokens_, mode_, topKLabel_, topK_,
                                                    seedLabel_, seed_, generate_, cancel_}) {
    controls->addWidget(w);
  }
  controls->addSpacing(12);
  controls->addWidget(status_, 1);
  auto* outputBox = new QGroupBox(tr("Continuation"), content);
  auto* outputLayout = new QVBoxLayout(outputBox);
  outputLayout->addWidget(output_);
  auto* legend = new QLabel(
      tr("Grey: the prompt. Each generated token is shaded by its probability (darker is "
         "likelier); hover for the figure, click to inspect the context it was predicted from."),
      outputBox);
  legend->setWordWrap(true);
  outputLayout->addWidget(legend);
  auto* contentLayout = new QVBoxLayout(content);
  contentLayout->setContentsMargins(0, 0, 0, 0);
  contentLayout->addLayout(top);
  contentLayout->addLayout(controls);
  contentLayout->addWidget(outputBox, 1);

  pages_->addWidget(empty);
  pages_->addWidget(content);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(pages_);
  updateModeControls();
  setRunning(false);
  setMemoryAvailable(false);
}

QUrl GenerateWidget::tokenUrl(int index) {
  return QUrl(QStringLiteral("%1:%2").arg(kTokenScheme).arg(index));
}

int GenerateWidget::tokenAt(const QString& href) const {
  const QUrl url(href);
  if (!snapshot_ || url.scheme() != kTokenScheme) return -1;
  bool ok = false;
  const int index = url.path().toInt(&ok);
  return ok && index >= 0 && static_cast<size_t>(index) < snapshot_->tokens.size() ? index : -1;
}

void GenerateWidget::setMemoryAvailable(bool available) {
  pages_->setCurrentIndex(available ? 1 : 0);
}

void GenerateWidget::setMemoryDescription(const QString& description) {
  memory_->setText(description);
}

void GenerateWidget::setRunning(bool running) {
  generate_->setEnabled(!running);
  cancel_->setEnabled(running);
  if (running) status_->setText(tr("Generating…"));
}

void GenerateWidget::showMessage(const QString& message) { status_->setText(message); }

void GenerateWidget::updateModeControls() {
  const bool sample = mode_->currentIndex() == 1;
  for (QWidget* w : std::initializer_list<QWidget*>{topKLabel_, topK_, seedLabel_, seed_})
    w->setEnabled(sample);
}

QString GenerateWidget::prompt() const { return prompt_->text(); }

GenerationOptions GenerateWidget::options() const {
  GenerationOptions o;
  o.tokens = static_cast<size_t>(tokens_->value());
  o.topK = mode_->currentIndex() == 1 ? topK_->value() : 0;
  o.seed = static_cast<uint64_t>(seed_->value());
  return o;
}

void GenerateWidget::setSnapshot(std::shared_ptr<const GenerationSnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  render();
}

void GenerateWidget::render() {
  if (!snapshot_) {
    output_->clear();
    return;
  }
  const TokenisedCorpus& corpus = snapshot_->experiment->corpus();
  QString html =
      QStringLiteral("<div style='line-height:170%'><span style='color:#555'>%1</span>")
          .arg(tokensText(corpus.vocab, snapshot_->prompt, corpus.paddingId).toHtmlEscaped());
  for (size_t i = 0; i < snapshot_->tokens.size(); ++i) {
    const GeneratedToken& t = snapshot_->tokens[i];
    html += QStringLiteral(
                " <a href='%1' style='text-decoration:none;color:#102a56'>"
                "<span style='background-color:%2'>&nbsp;%3&nbsp;</span></a>")
                .arg(tokenUrl(static_cast<int>(i)).toString(), chipColour(t.probability),
                     tokenText(corpus.vocab, t.id).toHtmlEscaped());
  }
  output_->setHtml(html + QStringLiteral("</div>"));
}

bool GenerateWidget::eventFilter(QObject* watched, QEvent* event) {
  if (watched == output_->viewport() && event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int index = tokenAt(output_->anchorAt(help->pos()));
    if (index < 0) {
      QToolTip::hideText();
      return true;
    }
    const GeneratedToken& t = snapshot_->tokens[static_cast<size_t>(index)];
    const TokenisedCorpus& corpus = snapshot_->experiment->corpus();
    QString tip = tr("<b>%1</b>: p = %2<br>after “%3”")
                      .arg(tokenText(corpus.vocab, t.id).toHtmlEscaped(),
                           QLocale().toString(t.probability, 'g', 4),
                           tokensText(corpus.vocab, t.context, corpus.paddingId).toHtmlEscaped());
    if (t.prediction.classId != t.id) {
      tip += tr("<br>the memory predicted <b>%1</b>")
                 .arg(tokenText(corpus.vocab, t.prediction.classId).toHtmlEscaped());
    }
    QToolTip::showText(help->globalPos(), tip + tr("<br><i>Click to inspect this context.</i>"),
                       output_);
    return true;
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace memlens::views
