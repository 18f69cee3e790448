#include "corpus/type_token_chart.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace memlens::views {

TypeTokenChart::TypeTokenChart(QWidget* parent)
    : QChartView(new QChart, parent),  // QChartView(parent) + setChart() leaked the default chart
      series_(new QLineSeries),
      tokensAxis_(new QLogValueAxis),
      typesAxis_(new QValueAxis) {
  QChart* chart = this->chart();  // the view owns the chart, the chart its series and axes
  chart->legend()->hide();
  series_->setName(tr("Types"));
  series_->setPointsVisible(true);
  chart->addSeries(series_);

  tokensAxis_->setTitleText(tr("Tokens read (log scale)"));
  tokensAxis_->setBase(10.0);
  tokensAxis_->setLabelFormat(QStringLiteral("%.0f"));
  tokensAxis_->setMinorTickCount(-1);  // log-spaced minor ticks between decades
  typesAxis_->setTitleText(tr("Distinct types"));
  typesAxis_->setLabelFormat(QStringLiteral("%.0f"));
  chart->addAxis(tokensAxis_, Qt::AlignBottom);
  chart->addAxis(typesAxis_, Qt::AlignLeft);
  series_->attachAxis(tokensAxis_);
  series_->attachAxis(typesAxis_);

  setRenderHint(QPainter::Antialiasing);
  setMinimumSize(320, 240);
  setSnapshot(nullptr);
}

void TypeTokenChart::setSnapshot(const std::shared_ptr<const CorpusStats>& snapshot) {
  QList<QPointF> points;
  if (snapshot) {
    points.reserve(static_cast<qsizetype>(snapshot->typeTokenCurve.size()));
    for (const auto& [tokens, types] : snapshot->typeTokenCurve) {
      if (tokens == 0) continue;  // a log axis has no place for zero
      points.append(QPointF(static_cast<double>(tokens), static_cast<double>(types)));
    }
  }
  series_->replace(points);
  // Empty axes with made-up ranges would look like data; say instead that there is none.
  const bool empty = points.isEmpty();
  tokensAxis_->setVisible(!empty);
  typesAxis_->setVisible(!empty);
  chart()->setTitle(empty ? tr("Vocabulary growth: no corpus open") : tr("Vocabulary growth"));
  if (empty) return;
  // Whole decades at both ends, so the log axis gets a tick at each end.
  const double firstX = points.front().x();
  const double lastX = std::max(points.back().x(), 10.0);
  tokensAxis_->setRange(std::pow(10.0, std::floor(std::log10(firstX))),
                        std::pow(10.0, std::ceil(std::log10(lastX))));
  // Types only grow as tokens are read, so the last point is the highest.
  typesAxis_->setRange(0.0, std::max(points.back().y(), 1.0));
  typesAxis_->applyNiceNumbers();
}

}  // namespace memlens::views
