#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "compare/compare_snapshot.h"

class QComboBox;
class QLabel;
class QSplitter;
class QTableView;

namespace memlens::views {

class FlipTableModel;
class RunSizeChart;

// The Compare page: every run's accuracy and perplexity against its memory size, and for two
// picked runs A and B the test tokens they share, counted by who got them right, with the flips
// listed token by token. It only renders; the window compares the runs when asked.
class CompareWidget : public QWidget {
  Q_OBJECT

 public:
  explicit CompareWidget(QWidget* parent = nullptr);

  // The runs to offer, in the runs table's order; A and B default to the last two.
  void setRuns(const std::vector<ComparedRun>& runs);
  // The comparison of the picked runs; null clears it, showing `message` instead.
  void setSnapshot(std::shared_ptr<const CompareSnapshot> snapshot, const QString& message = {});

  RunSizeChart* chart() const { return chart_; }
  FlipTableModel* flips() const { return flips_; }

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 Q_SIGNALS:
  // The user picked runs A and B (indices into the runs given to setRuns()).
  void comparisonRequested(int a, int b);
  // The user double-clicked a flip: its corpus token index.
  void flipActivated(quint64 source);

 private:
  void requestComparison();

  RunSizeChart* chart_;
  QComboBox* sizeBox_;
  QComboBox* runA_;
  QComboBox* runB_;
  QLabel* counts_;
  FlipTableModel* flips_;
  QTableView* flipTable_;
  QSplitter* rows_;
};

}  // namespace memlens::views
