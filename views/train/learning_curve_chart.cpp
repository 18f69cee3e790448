#include "train/learning_curve_chart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace memlens::views {

namespace {

// Whole decades at both ends, so a log axis gets a labelled tick at each end.
std::pair<double, double> decadeRange(double low, double high) {
  low = std::max(low, 1.0);
  high = std::max(high, low * 10.0);
  return {std::pow(10.0, std::floor(std::log10(low))), std::pow(10.0, std::ceil(std::log10(high)))};
}

// Inserts `point` in x order; a point with the same x is replaced, not duplicated.
void insertSorted(QLineSeries* series, const QPointF& point) {
  const QList<QPointF> points = series->points();
  const auto at =
      std::lower_bound(points.begin(), points.end(), point,
                       [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); });
  const int index = static_cast<int>(at - points.begin());
  if (at != points.end() && at->x() == point.x()) {
    series->replace(index, point);
  } else {
    series->insert(index, point);
  }
}

}  // namespace

LearningCurveChart::LearningCurveChart(QWidget* parent)
    : QChartView(new QChart, parent),  // QChartView(parent) + setChart() leaked the default chart
      accuracy_(new QLineSeries),
      perplexity_(new QLineSeries),
      instancesAxis_(new QLogValueAxis),
      accuracyAxis_(new QValueAxis),
      perplexityAxis_(new QLogValueAxis) {
  QChart* chart = this->chart();  // the view owns the chart, the chart its series and axes
  chart->legend()->setAlignment(Qt::AlignBottom);
  accuracy_->setName(tr("Accuracy"));
  perplexity_->setName(tr("Perplexity"));
  // Two distinct hues that stay apart for the colour-blind (blue / orange), thick enough to read.
  accuracy_->setPen(QPen(QColor(0x1f, 0x77, 0xb4), 2.5));
  perplexity_->setPen(QPen(QColor(0xe3, 0x6c, 0x0a), 2.5, Qt::DashLine));
  for (QLineSeries* series : {accuracy_, perplexity_}) {
    series->setPointsVisible(true);
    chart->addSeries(series);
  }

  instancesAxis_->setTitleText(tr("Training instances (log scale)"));
  instancesAxis_->setBase(10.0);
  instancesAxis_->setLabelFormat(QStringLiteral("%.0f"));
  instancesAxis_->setMinorTickCount(-1);
  accuracyAxis_->setTitleText(tr("Accuracy"));
  accuracyAxis_->setRange(0.0, 1.0);
  accuracyAxis_->setTickCount(6);
  accuracyAxis_->setLabelFormat(QStringLiteral("%.1f"));
  accuracyAxis_->setTitleBrush(accuracy_->pen().color());
  perplexityAxis_->setTitleText(tr("Perplexity (log scale)"));
  perplexityAxis_->setBase(10.0);
  perplexityAxis_->setLabelFormat(QStringLiteral("%.0f"));
  perplexityAxis_->setTitleBrush(perplexity_->pen().color());
  chart->addAxis(instancesAxis_, Qt::AlignBottom);
  chart->addAxis(accuracyAxis_, Qt::AlignLeft);
  chart->addAxis(perplexityAxis_, Qt::AlignRight);
  accuracy_->attachAxis(instancesAxis_);
  accuracy_->attachAxis(accuracyAxis_);
  perplexity_->attachAxis(instancesAxis_);
  perplexity_->attachAxis(perplexityAxis_);

  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(360, 260);
  clear(tr("Learning curve: no run yet"));
}

void LearningCurveChart::addPoint(double trainInstances, double accuracy, double perplexity) {
  // A log axis has no place for zero; an empty prefix measures nothing anyway.
  if (trainInstances <= 0.0) return;
  insertSorted(accuracy_, QPointF(trainInstances, accuracy));
  insertSorted(perplexity_, QPointF(trainInstances, std::max(perplexity, 1.0)));
  chart()->setTitle(tr("Learning curve"));
  rescale();
}

void LearningCurveChart::clear(const QString& title) {
  accuracy_->clear();
  perplexity_->clear();
  chart()->setTitle(title);
  rescale();
}

void LearningCurveChart::rescale() {
  // Axes with made-up ranges would look like data; without points there are none.
  const bool empty = accuracy_->count() == 0;
  for (QAbstractAxis* axis : chart()->axes()) axis->setVisible(!empty);
  chart()->legend()->setVisible(!empty);
  if (empty) return;
  const QList<QPointF> points = perplexity_->points();
  const auto [xLow, xHigh] = decadeRange(points.front().x(), points.back().x());
  instancesAxis_->setRange(xLow, xHigh);
  const auto [lowest, highest] =
      std::minmax_element(points.begin(), points.end(),
                          [](const QPointF& a, const QPointF& b) { return a.y() < b.y(); });
  const auto [yLow, yHigh] = decadeRange(lowest->y(), highest->y());
  perplexityAxis_->setRange(yLow, yHigh);
}

}  // namespace memlens::views
