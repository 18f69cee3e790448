#include "compare/run_size_chart.h"

#include <QChart>
#include <QLegend>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace memlens::views {

namespace {

// Whole decades around [low, high], so each end of a log axis gets a labelled tick.
std::pair<double, double> decades(double low, double high) {
  low = std::max(low, 1.0);
  high = std::max(high, low);
  return {std::pow(10.0, std::floor(std::log10(low))),
          std::pow(10.0, std::floor(std::log10(high)) + 1.0)};
}

// Colour-blind-safe hues (Okabe–Ito), one per algorithm in the order they first appear.
constexpr std::array<QRgb, 4> kHues = {0x0072b2, 0xd55e00, 0x009e73, 0xcc79a7};

}  // namespace

RunSizeChart::RunSizeChart(QWidget* parent)
    : QChartView(new QChart, parent),  // QChartView(parent) + setChart() leaked the default chart
      sizeAxis_(new QLogValueAxis),
      accuracyAxis_(new QValueAxis),
      perplexityAxis_(new QLogValueAxis) {
  QChart* chart = this->chart();  // the view owns the chart, the chart its series and axes
  chart->legend()->setAlignment(Qt::AlignBottom);
  sizeAxis_->setBase(10.0);
  sizeAxis_->setLabelFormat(QStringLiteral("%.0f"));
  sizeAxis_->setMinorTickCount(-1);
  accuracyAxis_->setTitleText(tr("Accuracy ●"));
  accuracyAxis_->setRange(0.0, 1.0);
  accuracyAxis_->setTickCount(6);
  accuracyAxis_->setLabelFormat(QStringLiteral("%.1f"));
  perplexityAxis_->setTitleText(tr("Perplexity ■"));
  perplexityAxis_->setBase(10.0);
  perplexityAxis_->setLabelFormat(QStringLiteral("%g"));
  chart->addAxis(sizeAxis_, Qt::AlignBottom);
  chart->addAxis(accuracyAxis_, Qt::AlignLeft);
  chart->addAxis(perplexityAxis_, Qt::AlignRight);
  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(360, 240);
  rebuild();
}

void RunSizeChart::setRuns(std::vector<std::shared_ptr<const RunRecord>> runs) {
  runs_ = std::move(runs);
  rebuild();
}

void RunSizeChart::setSize(Size size) {
  size_ = size;
  rebuild();
}

QList<QScatterSeries*> RunSizeChart::series() const {
  QList<QScatterSeries*> all;
  for (QAbstractSeries* s : chart()->series()) all.append(static_cast<QScatterSeries*>(s));
  return all;
}

void RunSizeChart::rebuild() {
  chart()->removeAllSeries();
  const bool vectors = size_ == Size::kStoredVectors;
  sizeAxis_->setTitleText(vectors ? tr("Stored vectors (log scale)")
                                  : tr("Training instances (log scale)"));
  const bool empty = runs_.empty();
  for (QAbstractAxis* axis : chart()->axes()) axis->setVisible(!empty);
  chart()->legend()->setVisible(!empty);
  chart()->setTitle(empty ? tr("Metrics against memory size: no run yet")
                          : tr("Metrics against memory size"));
  if (empty) return;

  // The memory size on x and the perplexity, clamped to 1: a log axis has no place for zero.
  auto sizeOf = [vectors](const RunRecord& r) {
    return std::max(1.0, static_cast<double>(vectors ? r.storedVectors : r.trainInstances));
  };
  auto perplexityOf = [](const RunRecord& r) { return std::max(1.0, r.test.perplexity()); };
  // Ranges first, series after: a vertical axis sizes its labels for the range it has when a
  // series is attached, and would elide wider ones set later.
  double xLow = INFINITY, xHigh = 0.0, pLow = INFINITY, pHigh = 0.0;
  for (const auto& run : runs_) {
    xLow = std::min(xLow, sizeOf(*run));
    xHigh = std::max(xHigh, sizeOf(*run));
    pLow = std::min(pLow, perplexityOf(*run));
    pHigh = std::max(pHigh, perplexityOf(*run));
  }
  const auto [x0, x1] = decades(xLow, xHigh);
  sizeAxis_->setRange(x0, x1);
  const auto [p0, p1] = decades(pLow, pHigh);
  perplexityAxis_->setRange(p0, p1);

  std::map<Algorithm, std::pair<QScatterSeries*, QScatterSeries*>> byAlgorithm;
  for (const auto& run : runs_) {
    const Algorithm algorithm = run->options.classifier.algorithm;
    auto [it, added] = byAlgorithm.try_emplace(algorithm);
    if (added) {
      const QColor hue(kHues[(byAlgorithm.size() - 1) % kHues.size()]);
      const QString name = QString::fromLatin1(algorithmName(algorithm));
      auto* accuracy = new QScatterSeries;
      accuracy->setName(tr("%1 accuracy").arg(name));
      accuracy->setMarkerShape(QScatterSeries::MarkerShapeCircle);
      auto* perplexity = new QScatterSeries;
      perplexity->setName(tr("%1 perplexity").arg(name));
      perplexity->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
      for (QScatterSeries* s : {accuracy, perplexity}) {
        s->setColor(hue);
        s->setBorderColor(hue.darker(130));
        // Later algorithms get smaller markers: runs of equal size then show as nested marks.
        s->setMarkerSize(std::max(6.0, 16.0 - 4.0 * static_cast<double>(byAlgorithm.size() - 1)));
        chart()->addSeries(s);
        s->attachAxis(sizeAxis_);
      }
      accuracy->attachAxis(accuracyAxis_);
      perplexity->attachAxis(perplexityAxis_);
      it->second = {accuracy, perplexity};
    }
    it->second.first->append(sizeOf(*run), run->test.accuracy());
    it->second.second->append(sizeOf(*run), perplexityOf(*run));
  }
}

}  // namespace memlens::views
