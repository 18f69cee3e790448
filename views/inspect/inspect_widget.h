#pragma once

#include <QWidget>
#include <memory>
#include <optional>

#include "inspect/inspect_snapshot.h"

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;

namespace memlens::views {

class ContributionHeatmap;
class DistributionChart;
class NeighbourTableModel;
class SourceContextView;
class TreePathModel;

// The memory options the Inspect page lets the user change without going back to training:
// k and distance weighting (IB1, TRIBL2), T and λ (vector memory; unset = as tuned).
struct InspectSettings {
  int k = 1;
  DistanceWeighting distanceWeighting = DistanceWeighting::kZero;
  std::optional<double> temperature;
  std::optional<double> lambda;
  // Replay: the memory as it was after this many training instances (corpus order); none: all.
  std::optional<uint64_t> prefix;
  bool operator==(const InspectSettings&) const = default;

  static InspectSettings of(const ExperimentOptions& options);
  // `options` with these settings applied.
  ExperimentOptions applyTo(ExperimentOptions options) const;
};

// The Inspect page: why the memory predicted what it did for one context. The user types a
// context or picks a test token; the page emits a request, and the window answers with a
// snapshot (computed off the GUI thread) that fills the prediction, the distribution chart, the
// neighbour table (for IGTree: the stored vectors under the answering node), the contribution
// heatmap, the tree path and the provenance of the selected row. It only renders; it never traces.
class InspectWidget : public QWidget {
  Q_OBJECT

 public:
  explicit InspectWidget(QWidget* parent = nullptr);

  // The memory to inspect: sets the test-token range and the controls that fit its algorithm.
  // Null shows the "train a memory first" page. The same memory again (its experiment evaluated
  // since) leaves the page as it is.
  void setExperiment(const std::shared_ptr<const Experiment>& experiment);
  void setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot);
  // Shows a trace read from a file (InspectSnapshot::file) as it was written, whether a memory is
  // open or not; with none, the page offers no way to trace another context.
  void showTraceFile(std::shared_ptr<const InspectSnapshot> snapshot);
  // What the page is doing (tracing, retraining for new settings, done), in its status line.
  void showWork(const QString& message);
  void showError(const QString& message);
  InspectSettings settings() const;

  std::shared_ptr<const InspectSnapshot> snapshot() const { return snapshot_; }
  QLineEdit* contextEdit() const { return contextEdit_; }
  NeighbourTableModel* neighbours() const { return neighbours_; }

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 public Q_SLOTS:
  // Moves the keyboard focus to the context field, its text selected.
  void focusContext();
  // Asks for test token `index` (of the experiment's test set).
  void inspectTestToken(int index);

 Q_SIGNALS:
  void contextRequested(const QString& text);
  void testTokenRequested(int index);
  // k, distance weighting, T, λ or the replay prefix changed (after a short pause, so a spin or
  // a drag does not retrain at every step).
  void settingsChanged();

 private:
  QWidget* createQueryBar();
  QWidget* createResultPane();
  void showSummary();
  void showNeighbour(int row);
  void showProvenance(int item);
  void updateControls(Algorithm algorithm);
  // The tree pane and the heatmap's title for a trace of `algorithm`.
  void showPanesFor(Algorithm algorithm);
  void showReplay();

  std::shared_ptr<const Experiment> experiment_;
  std::shared_ptr<const InspectSnapshot> snapshot_;
  InspectSettings defaults_;  // the trained memory's own

  QStackedWidget* pages_;
  QLineEdit* contextEdit_;
  QSpinBox* testToken_;
  QPushButton* randomToken_;
  QLabel* kLabel_;
  QSpinBox* k_;
  QLabel* distanceWeightingLabel_;
  QComboBox* distanceWeighting_;
  QLabel* temperatureLabel_;
  QDoubleSpinBox* temperature_;
  QLabel* lambdaLabel_;
  QDoubleSpinBox* lambda_;
  QLabel* replayLabel_;
  QSlider* replay_;  // training instances kept; its maximum is the whole memory
  QLabel* replayText_;
  QLabel* status_;
  QTimer* settingsPause_;

  QLabel* prediction_;
  QLabel* details_;
  DistributionChart* chart_;
  QGroupBox* treeBox_;
  QGroupBox* heatmapBox_ = nullptr;
  QGroupBox* neighbourBox_ = nullptr;
  QGroupBox* provenanceBox_ = nullptr;
  QLabel* treeAnswer_;
  QLabel* nodeEvidence_;
  TreePathModel* treePath_;
  NeighbourTableModel* neighbours_;
  QTableView* neighbourTable_;
  ContributionHeatmap* heatmap_;
  QListWidget* provenance_;
  SourceContextView* source_;
  QSplitter* columns_;
  QSplitter* rightRows_;
  QSplitter* bottomRow_;
};

}  // namespace memlens::views
