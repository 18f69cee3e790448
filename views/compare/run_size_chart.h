#pragma once

#include <QChartView>
#include <QList>
#include <memory>
#include <vector>

#include "memlens/run_record.h"

class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace memlens::views {

// Test accuracy (left axis, 0–1) and perplexity (right axis, log) of every run against the size of
// its memory (log): one point per run and metric, one series per algorithm and metric, so the
// legend names the algorithm of each point.
class RunSizeChart : public QChartView {
  Q_OBJECT

 public:
  enum class Size { kStoredVectors, kTrainInstances };

  explicit RunSizeChart(QWidget* parent = nullptr);

  void setRuns(std::vector<std::shared_ptr<const RunRecord>> runs);
  void setSize(Size size);
  Size size() const { return size_; }

  // One series per algorithm that has runs, accuracy and perplexity alternating.
  QList<QScatterSeries*> series() const;

 private:
  void rebuild();

  std::vector<std::shared_ptr<const RunRecord>> runs_;
  Size size_ = Size::kStoredVectors;
  QLogValueAxis* sizeAxis_;
  QValueAxis* accuracyAxis_;
  QLogValueAxis* perplexityAxis_;
};

}  // namespace memlens::views
