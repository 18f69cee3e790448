#pragma once

#include <QWidget>
#include <memory>

#include "memlens/run_record.h"

class QFormLayout;
class QLabel;

namespace memlens::views {

class FrequencyBandTableModel;

// One run's test metrics: the headline figures and the break-down by training frequency.
// Renders the record only. The figure labels have object names ("accuracyValue", ...) so tests
// find them.
class MetricsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit MetricsWidget(QWidget* parent = nullptr);

  // Shows `run` (null shows dashes and an empty table).
  void setRun(const std::shared_ptr<const RunRecord>& run);

 private:
  QLabel* addFigure(QFormLayout* form, const QString& name, const QString& tip,
                    const char* objectName);

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
