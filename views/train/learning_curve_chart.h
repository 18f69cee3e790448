#pragma once

#include <QChartView>

class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace memlens::views {

// The learning curve of one run: test accuracy (left axis, 0–1) and perplexity (right axis, log)
// against training instances (log). Points arrive one at a time while the memory grows, so the
// chart keeps them in x order and rescales its axes on every point.
class LearningCurveChart : public QChartView {
  Q_OBJECT

 public:
  explicit LearningCurveChart(QWidget* parent = nullptr);

  // Adds a measurement; one at the same number of instances replaces it.
  void addPoint(double trainInstances, double accuracy, double perplexity);
  // Removes every point; `title` says why the chart is empty (e.g. "training…").
  void clear(const QString& title);

 private:
  void rescale();

  QLineSeries* accuracy_;
  QLineSeries* perplexity_;
  QLogValueAxis* instancesAxis_;
  QValueAxis* accuracyAxis_;
  QLogValueAxis* perplexityAxis_;
};

}  // namespace memlens::views
