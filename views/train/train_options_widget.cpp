#include "train/train_options_widget.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "memlens/instance_set.h"

namespace memlens::views {

namespace {

// The smallest test share that still leaves something to measure.
constexpr double kMinTestFraction = 0.01;

template <typename Enum>
void addChoice(QComboBox* box, const QString& text, Enum value, const QString& tip) {
  box->addItem(text, static_cast<int>(value));
  box->setItemData(box->count() - 1, tip, Qt::ToolTipRole);
}

template <typename Enum>
Enum choice(const QComboBox* box) {
  return static_cast<Enum>(box->currentData().toInt());
}

template <typename Enum>
void select(QComboBox* box, Enum value) {
  const int index = box->findData(static_cast<int>(value));
  if (index >= 0) box->setCurrentIndex(index);
}

}  // namespace

TrainOptionsWidget::TrainOptionsWidget(QWidget* parent)
    : QWidget(parent),
      algorithm_(new QComboBox(this)),
      k_(new QSpinBox(this)),
      weighting_(new QComboBox(this)),
      distanceWeighting_(new QComboBox(this)),
      width_(new QSpinBox(this)),
      blocks_(new QComboBox(this)),
      ngramOrder_(new QSpinBox(this)),
      trainFraction_(new QDoubleSpinBox(this)),
      validationFraction_(new QDoubleSpinBox(this)),
      testFraction_(new QLabel(this)),
      seed_(new QSpinBox(this)),
      maxTestTokens_(new QSpinBox(this)),
      trainButton_(new QPushButton(tr("&Train"), this)) {
  algorithm_->setObjectName(QStringLiteral("algorithmBox"));
  addChoice(algorithm_, tr("IGTree"), Algorithm::kIgTree,
            tr("Decision tree over the context, most informative position first: fast, compact"));
  addChoice(algorithm_, tr("IB1"), Algorithm::kIb1,
            tr("Exhaustive k-nearest-neighbour search over every stored context: slow, exact"));
  addChoice(algorithm_, tr("TRIBL2"), Algorithm::kTribl2,
            tr("IGTree down to the first mismatch, then IB1 among what is left"));
  addChoice(algorithm_, tr("Vector memory"), Algorithm::kVectorMemory,
            tr("Attention over the stored contexts with word vectors learnt from the training "
               "text, interpolated with the Kneser-Ney model"));
  algorithm_->setToolTip(tr("How the memory finds the stored contexts nearest to a query"));

  k_->setObjectName(QStringLiteral("kBox"));
  k_->setRange(1, 1000);
  k_->setToolTip(tr("Number of nearest distances whose neighbours vote (IB1 and TRIBL2)"));

  weighting_->setObjectName(QStringLiteral("weightingBox"));
  addChoice(weighting_, tr("Gain ratio"), FeatureWeighting::kGainRatio,
            tr("Information gain normalised by the position's own entropy"));
  addChoice(weighting_, tr("Information gain"), FeatureWeighting::kInfoGain,
            tr("How much knowing the token at a position tells about the next token"));
  addChoice(weighting_, tr("Chi-square"), FeatureWeighting::kChiSquare,
            tr("Chi-square statistic of position value against next token"));
  addChoice(weighting_, tr("Shared variance"), FeatureWeighting::kSharedVariance,
            tr("Chi-square normalised by the number of values and classes"));
  addChoice(weighting_, tr("None"), FeatureWeighting::kNone,
            tr("Every context position counts the same"));
  weighting_->setToolTip(tr("How much each context position counts in the distance"));

  distanceWeighting_->setObjectName(QStringLiteral("distanceWeightingBox"));
  addChoice(distanceWeighting_, tr("Majority (Z)"), DistanceWeighting::kZero,
            tr("Every neighbour votes with weight 1"));
  addChoice(distanceWeighting_, tr("Inverse linear (IL)"), DistanceWeighting::kInverseLinear,
            tr("Nearer neighbours vote more, linearly between the nearest and the farthest"));
  addChoice(distanceWeighting_, tr("Inverse distance (ID)"), DistanceWeighting::kInverseDistance,
            tr("Each neighbour votes with 1 / distance"));
  addChoice(distanceWeighting_, tr("Exponential decay (ED)"), DistanceWeighting::kExponentialDecay,
            tr("Each neighbour votes with exp(−distance)"));
  distanceWeighting_->setToolTip(
      tr("How the k nearest neighbours' votes are weighted (IB1 and "
         "TRIBL2)"));

  width_->setObjectName(QStringLiteral("widthBox"));
  width_->setRange(1, InstanceSet::kMaxWidth);
  width_->setSuffix(tr(" tokens"));
  width_->setToolTip(tr("How many preceding tokens form the context that predicts the next one"));

  blocks_->setObjectName(QStringLiteral("blocksBox"));
  addChoice(blocks_, tr("Lines"), BlockMode::kLine,
            tr("Each line is its own block: contexts never reach into the previous line"));
  addChoice(blocks_, tr("Paragraphs (OLIFANT)"), BlockMode::kOlifant,
            tr("Lines are joined and an empty line starts a new block, as OLIFANT does"));
  blocks_->setToolTip(tr("Where contexts restart, padded with “_”"));

  ngramOrder_->setObjectName(QStringLiteral("ngramOrderBox"));
  ngramOrder_->setRange(1, 6);
  ngramOrder_->setToolTip(
      tr("Order of the Kneser-Ney model that smooths the memory's votes "
         "(at most width + 1)"));

  trainFraction_->setObjectName(QStringLiteral("trainFractionBox"));
  trainFraction_->setRange(0.05, 0.98);
  trainFraction_->setSingleStep(0.05);
  trainFraction_->setDecimals(2);
  trainFraction_->setToolTip(tr("Share of the corpus lines the memory is trained on"));
  validationFraction_->setObjectName(QStringLiteral("validationFractionBox"));
  validationFraction_->setRange(0.0, 0.5);
  validationFraction_->setSingleStep(0.05);
  validationFraction_->setDecimals(2);
  validationFraction_->setToolTip(
      tr("Share of the lines used to tune the smoothing; the rest is the test part"));
  testFraction_->setToolTip(tr("Share of the lines the figures are measured on"));

  seed_->setObjectName(QStringLiteral("seedBox"));
  seed_->setRange(0, 1 << 30);
  seed_->setToolTip(
      tr("Decides which lines go to train, validation and test; the same seed "
         "gives the same split"));

  maxTestTokens_->setObjectName(QStringLiteral("maxTestTokensBox"));
  maxTestTokens_->setRange(0, 1 << 30);
  maxTestTokens_->setSingleStep(1000);
  maxTestTokens_->setSpecialValueText(tr("all"));
  maxTestTokens_->setGroupSeparatorShown(true);
  maxTestTokens_->setToolTip(tr("Evaluate on the first N test tokens only, for quicker runs"));

  trainButton_->setObjectName(QStringLiteral("trainButton"));
  trainButton_->setToolTip(tr("Train a memory with these options and evaluate it (Ctrl+T)"));
  trainButton_->setDefault(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Algorithm"), algorithm_);
  form->addRow(tr("k"), k_);
  form->addRow(tr("Feature weighting"), weighting_);
  form->addRow(tr("Distance weighting"), distanceWeighting_);
  form->addRow(tr("Context width"), width_);
  form->addRow(tr("Blocks"), blocks_);
  form->addRow(tr("N-gram order"), ngramOrder_);
  form->addRow(tr("Train share"), trainFraction_);
  form->addRow(tr("Validation share"), validationFraction_);
  form->addRow(tr("Test share"), testFraction_);
  form->addRow(tr("Split seed"), seed_);
  form->addRow(tr("Max test tokens"), maxTestTokens_);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(trainButton_);
  layout->addStretch(1);

  connect(algorithm_, &QComboBox::currentIndexChanged, this,
          &TrainOptionsWidget::updateDependentFields);
  connect(trainFraction_, &QDoubleSpinBox::valueChanged, this,
          &TrainOptionsWidget::updateDependentFields);
  connect(validationFraction_, &QDoubleSpinBox::valueChanged, this,
          &TrainOptionsWidget::updateDependentFields);
  connect(trainButton_, &QPushButton::clicked, this, &TrainOptionsWidget::requestTraining);

  // IGTree, width 4, k 1, gain ratio: the CLI's defaults, quick on a whole book.
  ExperimentOptions defaults;
  defaults.classifier.algorithm = Algorithm::kIgTree;
  setOptions(defaults);
}

ExperimentOptions TrainOptionsWidget::options() const {
  ExperimentOptions o;
  o.classifier.algorithm = choice<Algorithm>(algorithm_);
  o.classifier.k = k_->value();
  o.classifier.weighting = choice<FeatureWeighting>(weighting_);
  o.classifier.distanceWeighting = choice<DistanceWeighting>(distanceWeighting_);
  o.window.width = width_->value();
  o.window.blocks = choice<BlockMode>(blocks_);
  o.ngramOrder = ngramOrder_->value();
  o.split.trainFraction = trainFraction_->value();
  o.split.validationFraction = validationFraction_->value();
  o.split.seed = static_cast<uint64_t>(seed_->value());
  o.maxTestTokens = static_cast<uint64_t>(maxTestTokens_->value());
  return o;
}

void TrainOptionsWidget::setOptions(const ExperimentOptions& o) {
  select(algorithm_, o.classifier.algorithm);
  k_->setValue(o.classifier.k);
  select(weighting_, o.classifier.weighting);
  select(distanceWeighting_, o.classifier.distanceWeighting);
  width_->setValue(o.window.width);
  select(blocks_, o.window.blocks);
  ngramOrder_->setValue(o.ngramOrder);
  trainFraction_->setValue(o.split.trainFraction);
  validationFraction_->setValue(o.split.validationFraction);
  seed_->setValue(static_cast<int>(std::min<uint64_t>(o.split.seed, 1 << 30)));
  maxTestTokens_->setValue(static_cast<int>(std::min<uint64_t>(o.maxTestTokens, 1 << 30)));
  updateDependentFields();
}

void TrainOptionsWidget::setTrainingEnabled(bool enabled) {
  trainingEnabled_ = enabled;
  updateDependentFields();
}

void TrainOptionsWidget::requestTraining() {
  if (!trainButton_->isEnabled()) return;
  Q_EMIT trainingRequested(options());
}

void TrainOptionsWidget::updateDependentFields() {
  // IGTree answers from the deepest matching node and the vector memory weighs its slots by
  // attention: neither has distance buckets to count or weigh.
  const auto algorithm = choice<Algorithm>(algorithm_);
  const bool neighbours = algorithm == Algorithm::kIb1 || algorithm == Algorithm::kTribl2;
  k_->setEnabled(neighbours);
  distanceWeighting_->setEnabled(neighbours);

  const double test = 1.0 - trainFraction_->value() - validationFraction_->value();
  const bool splitValid = test >= kMinTestFraction - 1e-9;
  testFraction_->setText(splitValid ? QLocale().toString(test, 'f', 2)
                                    : tr("<font color=\"#b00020\">none left: lower train or "
                                         "validation</font>"));
  trainButton_->setEnabled(trainingEnabled_ && splitValid);
}

}  // namespace memlens::views
