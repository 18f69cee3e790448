#pragma once

#include <QWidget>

class QSplitter;
class QTableView;

namespace memlens::views {

class LearningCurveChart;
class MetricsWidget;
class RunTableModel;
class TrainOptionsWidget;

// The Train & Evaluate page: the options form, the live learning curve, the metrics of the run
// in view and the table of every run of the session. It only lays the parts out; the main window
// feeds them and reacts to their signals.
class TrainEvaluateWidget : public QWidget {
  Q_OBJECT

 public:
  explicit TrainEvaluateWidget(QWidget* parent = nullptr);

  TrainOptionsWidget* options() const { return options_; }
  LearningCurveChart* chart() const { return chart_; }
  MetricsWidget* metrics() const { return metrics_; }
  RunTableModel* runs() const { return runs_; }

  // Splitter positions, for the main window to keep across sessions.
  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 Q_SIGNALS:
  // The user picked a run in the table (a row of runs()).
  void runSelected(int row);

 private:
  TrainOptionsWidget* options_;
  LearningCurveChart* chart_;
  MetricsWidget* metrics_;
  RunTableModel* runs_;
  QTableView* runTable_;
  QSplitter* rows_;
  QSplitter* rightColumn_;
};

}  // namespace memlens::views
