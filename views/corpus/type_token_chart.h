#pragma once

#include <QChartView>
#include <memory>

#include "memlens/corpus_stats.h"

class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace memlens::views {

// Vocabulary growth: distinct types against tokens read, tokens on a log scale so the early,
// steep part of the curve is as readable as the long tail. Plots the snapshot's own curve.
class TypeTokenChart : public QChartView {
  Q_OBJECT

 public:
  explicit TypeTokenChart(QWidget* parent = nullptr);

  // Replaces the plotted snapshot (null clears the plot).
  void setSnapshot(const std::shared_ptr<const CorpusStats>& snapshot);

  QLineSeries* series() const { return series_; }

 private:
  QLineSeries* series_;
  QLogValueAxis* tokensAxis_;
  QValueAxis* typesAxis_;
};

}  // namespace memlens::views
