#pragma once

#include <QWidget>

#include "memlens/run_record.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

// Lets ExperimentOptions travel through signals and QSignalSpy.
Q_DECLARE_METATYPE(memlens::ExperimentOptions)

namespace memlens::views {

// The form for one training run's options: classifier (algorithm, k, feature and distance
// weighting), windowing (width, blocks), the Kneser-Ney base model's order and the split.
// Every field has a tooltip saying what it does. The Train button, or requestTraining(), emits
// trainingRequested() with the options; the form only validates, it never trains.
class TrainOptionsWidget : public QWidget {
  Q_OBJECT

 public:
  explicit TrainOptionsWidget(QWidget* parent = nullptr);

  ExperimentOptions options() const;
  // Shows `options`, clamped into the form's ranges.
  void setOptions(const ExperimentOptions& options);
  // Whether Train can be pressed (the window turns it off without a corpus or while busy).
  void setTrainingEnabled(bool enabled);

 public Q_SLOTS:
  // Emits trainingRequested() when the options are valid and training is enabled.
  void requestTraining();

 Q_SIGNALS:
  void trainingRequested(const memlens::ExperimentOptions& options);

 private:
  void updateDependentFields();

  QComboBox* algorithm_;
  QSpinBox* k_;
  QComboBox* weighting_;
  QComboBox* distanceWeighting_;
  QSpinBox* width_;
  QComboBox* blocks_;
  QSpinBox* ngramOrder_;
  QDoubleSpinBox* trainFraction_;
  QDoubleSpinBox* validationFraction_;
  QLabel* testFraction_;
  QSpinBox* seed_;
  QSpinBox* maxTestTokens_;
  QPushButton* trainButton_;
  bool trainingEnabled_ = true;
};

}  // namespace memlens::views
