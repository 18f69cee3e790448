#include "train/metric_columns.h"

#include <QCoreApplication>
#include <QLocale>

namespace memlens::views {

double metricValue(const Metrics& m, MetricColumn column) {
  switch (column) {
    case MetricColumn::kAccuracy:
      return m.accuracy();
    case MetricColumn::kTop5:
      return m.top5();
    case MetricColumn::kMrr:
      return m.meanReciprocalRank();
    case MetricColumn::kBitsPerToken:
      return m.crossEntropyBits();
    case MetricColumn::kPerplexity:
      return m.perplexity();
  }
  return 0.0;
}

QString metricText(const Metrics& m, MetricColumn column) {
  if (m.tokens == 0) return QStringLiteral("—");
  const QLocale locale;
  const double value = metricValue(m, column);
  switch (column) {
    case MetricColumn::kBitsPerToken:
      return locale.toString(value, 'f', 3);
    case MetricColumn::kPerplexity:
      // Rare tokens reach perplexities in the millions; decimals there are noise.
      return locale.toString(value, 'f', value >= 1000.0 ? 0 : 2);
    default:
      return locale.toString(value, 'f', 4);
  }
}

QString metricHeader(MetricColumn column) {
  switch (column) {
    case MetricColumn::kAccuracy:
      return QCoreApplication::translate("MetricColumns", "Accuracy");
    case MetricColumn::kTop5:
      return QCoreApplication::translate("MetricColumns", "Top-5");
    case MetricColumn::kMrr:
      return QCoreApplication::translate("MetricColumns", "MRR");
    case MetricColumn::kBitsPerToken:
      return QCoreApplication::translate("MetricColumns", "Bits/token");
    case MetricColumn::kPerplexity:
      return QCoreApplication::translate("MetricColumns", "Perplexity");
  }
  return {};
}

}  // namespace memlens::views
