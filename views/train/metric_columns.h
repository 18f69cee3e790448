#pragma once

#include <QString>

#include "memlens/evaluation.h"

namespace memlens::views {

// The five test metrics that the runs table and the frequency-band table both show, in this
// column order: one place for their values, their rounding and their header names.
enum class MetricColumn { kAccuracy, kTop5, kMrr, kBitsPerToken, kPerplexity };
inline constexpr int kMetricColumnCount = 5;

double metricValue(const Metrics& m, MetricColumn column);
// Rounded for display; "—" over no tokens, where a rate of 0 would read as measured.
QString metricText(const Metrics& m, MetricColumn column);
QString metricHeader(MetricColumn column);

}  // namespace memlens::views
