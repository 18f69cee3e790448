#pragma once

#include <QWidget>
#include <memory>

#include "memlens/evaluation.h"
#include "memlens/run_record.h"

class QFormLayout;
class QLabel;

namespace memlens::views {

class FrequencyBandTableModel;

// One run's test metrics: the headline figures and the break-down by training frequency, or,
// while a run is evaluated, the figures on the sample measured so far with their 95 % intervals.
// Renders the record or the update only. The figure labels have object names ("accuracyValue", ...)
// so tests find them.
class MetricsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit MetricsWidget(QWidget* parent = nullptr);

  // Shows `run` (null shows dashes and an empty table).
  // A run whose test figures cover fewer tokens than its test set was cancelled while it was
  // evaluated: its figures are on a random sample, and say so.
  void setRun(const std::shared_ptr<const RunRecord>& run);
  // A run being evaluated: the sample's figures with their intervals (the break-down waits for
  // the end).
  void setLive(const EvaluationUpdate& update, uint64_t storedVectors);

 private:
  QLabel* addFigure(QFormLayout* form, const QString& name, const QString& tip,
                    const char* objectName);
  void showFigures(const Metrics& m, uint64_t storedVectors);

  QLabel* accuracy_;
  QLabel* top5_;
  QLabel* mrr_;
  QLabel* bits_;
  QLabel* perplexity_;
  QLabel* testTokens_;
  QLabel* memory_;
  FrequencyBandTableModel* bandModel_;
};

}  // namespace memlens::views
