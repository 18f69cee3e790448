#include "train/metrics_widget.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "train/frequency_band_table_model.h"
#include "train/metric_columns.h"

namespace memlens::views {

namespace {

QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

QString percent(uint64_t part, uint64_t whole) {
  return QLocale().toString(100.0 * static_cast<double>(part) / static_cast<double>(whole), 'f', 0);
}

}  // namespace

MetricsWidget::MetricsWidget(QWidget* parent)
    : QWidget(parent), bandModel_(new FrequencyBandTableModel(this)) {
  auto* form = new QFormLayout;
  form->setLabelAlignment(Qt::AlignLeft);
  accuracy_ = addFigure(form, tr("Accuracy"), tr("Share of test tokens predicted exactly"),
                        "accuracyValue");
  top5_ =
      addFigure(form, tr("Top-5"),
                tr("Share of test tokens among the five most probable predictions"), "top5Value");
  mrr_ = addFigure(form, tr("MRR"), tr("Mean reciprocal rank of the true token"), "mrrValue");
  bits_ =
      addFigure(form, tr("Bits/token"),
                tr("Cross-entropy of the smoothed distribution on the test tokens"), "bitsValue");
  perplexity_ =
      addFigure(form, tr("Perplexity"), tr("2^(bits/token): lower is better"), "perplexityValue");
  testTokens_ = addFigure(form, tr("Test tokens"), tr("Tokens the figures are measured on"),
                          "testTokensValue");
  memory_ =
      addFigure(form, tr("Memory"), tr("Stored vectors: distinct training contexts kept in memory"),
                "memoryValue");

  auto* proxy = new QSortFilterProxyModel(this);
  proxy->setSourceModel(bandModel_);
  proxy->setSortRole(static_cast<int>(FrequencyBandTableModel::Role::SortKey));
  auto* bands = new QTableView(this);
  bands->setObjectName(QStringLiteral("bandTable"));
  bands->setModel(proxy);
  bands->setEditTriggers(QAbstractItemView::NoEditTriggers);
  bands->setSelectionBehavior(QAbstractItemView::SelectRows);
  bands->setAlternatingRowColors(true);
  bands->verticalHeader()->hide();
  bands->verticalHeader()->setDefaultSectionSize(bands->fontMetrics().height() + 6);
  // Every column fits its header and cells (a stretched band column was cut to "ain frequenc"
  // at the default width); the last takes what is left, and a narrow pane scrolls.
  bands->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  bands->horizontalHeader()->setStretchLastSection(true);
  bands->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  bands->setSortingEnabled(true);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(bands, 1);
  setRun(nullptr);
}

QLabel* MetricsWidget::addFigure(QFormLayout* form, const QString& name, const QString& tip,
                                 const char* objectName) {
  auto* value = new QLabel(this);
  value->setObjectName(QString::fromLatin1(objectName));
  value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  value->setToolTip(tip);
  form->addRow(name, value);
  return value;
}

void MetricsWidget::setRun(const std::shared_ptr<const RunRecord>& run) {
  bandModel_->setRun(run);
  if (!run) {
    for (QLabel* label : {accuracy_, top5_, mrr_, bits_, perplexity_, testTokens_, memory_}) {
      label->setText(QStringLiteral("—"));
    }
    return;
  }
  const Metrics& m = run->test;
  showFigures(m, run->storedVectors);
  if (m.tokens == 0 && run->testInstances > 0) {
    testTokens_->setText(
        tr("none of %1: cancelled before any was evaluated").arg(number(run->testInstances)));
  } else if (m.tokens < run->testInstances) {
    testTokens_->setText(tr("%1 of %2 (%3 %): cancelled, a random sample")
                             .arg(number(m.tokens), number(run->testInstances),
                                  percent(m.tokens, run->testInstances)));
  }
}

void MetricsWidget::setLive(const EvaluationUpdate& update, uint64_t storedVectors) {
  bandModel_->setRun(nullptr);
  showFigures(update.sample, storedVectors);
  const QLocale locale;
  const auto withInterval = [&](QLabel* label, const Interval& i, int decimals) {
    label->setText(tr("%1 (%2–%3)")
                       .arg(label->text(), locale.toString(i.low, 'f', decimals),
                            locale.toString(i.high, 'f', decimals)));
  };
  withInterval(accuracy_, update.accuracy, 4);
  withInterval(perplexity_, update.perplexity, update.perplexity.high >= 1000.0 ? 0 : 2);
  testTokens_->setText(tr("%1 of %2 (%3 %): a random sample so far")
                           .arg(number(update.evaluatedTokens), number(update.testTokens),
                                percent(update.evaluatedTokens, update.testTokens)));
}

void MetricsWidget::showFigures(const Metrics& m, uint64_t storedVectors) {
  accuracy_->setText(metricText(m, MetricColumn::kAccuracy));
  top5_->setText(metricText(m, MetricColumn::kTop5));
  mrr_->setText(metricText(m, MetricColumn::kMrr));
  bits_->setText(metricText(m, MetricColumn::kBitsPerToken));
  perplexity_->setText(metricText(m, MetricColumn::kPerplexity));
  testTokens_->setText(number(m.tokens));
  memory_->setText(tr("%1 vectors").arg(number(storedVectors)));
}

}  // namespace memlens::views
