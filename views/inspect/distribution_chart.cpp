#include "inspect/distribution_chart.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace memlens::views {

DistributionChart::DistributionChart(QWidget* parent)
    : QChartView(new QChart, parent),  // QChartView(parent) + setChart() leaked the default chart
      series_(new QHorizontalBarSeries),
      probabilities_(new QBarSet(tr("Probability"))),
      tokenAxis_(new QBarCategoryAxis),
      probabilityAxis_(new QValueAxis) {
  QChart* chart = this->chart();  // the view owns the chart, the chart its series and axes
  chart->legend()->hide();
  probabilities_->setColor(QColor(0x1f, 0x77, 0xb4));
  probabilities_->setSelectedColor(QColor(0xe3, 0x6c, 0x0a));
  probabilities_->setLabelColor(palette().text().color());  // the theme's default is white
  series_->append(probabilities_);
  series_->setBarWidth(0.7);
  series_->setLabelsVisible(true);
  series_->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
  series_->setLabelsFormat(QStringLiteral("@value"));
  series_->setLabelsPrecision(3);
  chart->addSeries(series_);
  probabilityAxis_->setTitleText(tr("Probability (smoothed)"));
  probabilityAxis_->setLabelFormat(QStringLiteral("%.1f"));
  probabilityAxis_->setTickType(QValueAxis::TicksDynamic);
  probabilityAxis_->setTickAnchor(0.0);
  chart->addAxis(probabilityAxis_, Qt::AlignBottom);
  chart->addAxis(tokenAxis_, Qt::AlignLeft);
  series_->attachAxis(probabilityAxis_);
  series_->attachAxis(tokenAxis_);
  chart->setMargins(QMargins(4, 4, 4, 4));
  setRenderHint(QPainter::Antialiasing);
  setMinimumHeight(220);
  setSnapshot(nullptr, tr("Next-token distribution"));
}

void DistributionChart::setSnapshot(const std::shared_ptr<const InspectSnapshot>& snapshot,
                                    const QString& emptyTitle) {
  probabilities_->remove(0, probabilities_->count());
  tokenAxis_->clear();
  if (!snapshot || snapshot->top.empty()) {
    chart()->setTitle(emptyTitle);
    probabilityAxis_->setRange(0.0, 1.0);
    probabilityAxis_->setTickInterval(0.2);
    return;
  }
  // Bars stack bottom-up: the least probable goes in first so the most probable sits on top.
  QStringList tokens;
  double highest = 0.0;
  int target = -1;
  for (auto it = snapshot->top.rbegin(); it != snapshot->top.rend(); ++it) {
    QString text = snapshot->tokenText(it->first);
    // Categories must be unique; tokens are, but keep the axis valid for any vocabulary.
    while (tokens.contains(text)) text += QLatin1Char(' ');
    if (it->first == snapshot->target) target = static_cast<int>(tokens.size());
    tokens.append(text);
    probabilities_->append(it->second);
    highest = std::max(highest, it->second);
  }
  tokenAxis_->append(tokens);
  if (target >= 0) probabilities_->selectBar(target);
  // Whole tenths with room on the right for the value labels.
  const double top = std::min(1.0, std::ceil(highest * 10.0 + 1.0) / 10.0);
  probabilityAxis_->setRange(0.0, top);
  probabilityAxis_->setTickInterval(top > 0.6 ? 0.2 : 0.1);
  chart()->setTitle(snapshot->target == Prediction::kNoClass
                        ? tr("Top %n next tokens", nullptr, static_cast<int>(tokens.size()))
                        : tr("Top %n next tokens (true one in orange)", nullptr,
                             static_cast<int>(tokens.size())));
}

}  // namespace memlens::views
