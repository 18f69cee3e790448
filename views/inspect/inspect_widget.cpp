#include "inspect/inspect_widget.h"

#include <QComboBox>
#include <QDataStream>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRandomGenerator>
#include <QScrollArea>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "common/token_text.h"
#include "inspect/contribution_heatmap.h"
#include "inspect/distribution_chart.h"
#include "inspect/neighbour_table_model.h"
#include "inspect/source_context_view.h"
#include "inspect/tree_path_model.h"
#include "memlens/option_names.h"

namespace memlens::views {

namespace {

constexpr int kSettingsPauseMs = 400;
constexpr int kProvenanceTokenRole = Qt::UserRole;

QGroupBox* boxed(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(content);
  return box;
}

QTableView* plainTable(QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return table;
}

// The tuned T and λ are shown rounded; the setting stays unset until the user moves off them.
std::optional<double> changedValue(const QDoubleSpinBox* box, double shown) {
  return box->value() == shown ? std::nullopt : std::optional<double>(box->value());
}

}  // namespace

InspectSettings InspectSettings::of(const ExperimentOptions& options) {
  return {options.classifier.k, options.classifier.distanceWeighting, options.memoryTemperature,
          options.memoryLambda, std::nullopt};
}

ExperimentOptions InspectSettings::applyTo(ExperimentOptions options) const {
  options.classifier.k = k;
  options.classifier.distanceWeighting = distanceWeighting;
  options.memoryTemperature = temperature;
  options.memoryLambda = lambda;
  return options;
}

InspectWidget::InspectWidget(QWidget* parent)
    : QWidget(parent),
      pages_(new QStackedWidget(this)),
      contextEdit_(new QLineEdit(this)),
      testToken_(new QSpinBox(this)),
      randomToken_(new QPushButton(tr("&Random test token"), this)),
      kLabel_(new QLabel(tr("&k:"), this)),
      k_(new QSpinBox(this)),
      distanceWeightingLabel_(new QLabel(tr("&Distance weighting:"), this)),
      distanceWeighting_(new QComboBox(this)),
      temperatureLabel_(new QLabel(tr("&T:"), this)),
      temperature_(new QDoubleSpinBox(this)),
      lambdaLabel_(new QLabel(tr("&λ:"), this)),
      lambda_(new QDoubleSpinBox(this)),
      replayLabel_(new QLabel(tr("Re&play:"), this)),
      replay_(new QSlider(Qt::Horizontal, this)),
      replayText_(new QLabel(this)),
      status_(new QLabel(this)),
      settingsPause_(new QTimer(this)),
      prediction_(new QLabel(this)),
      details_(new QLabel(this)),
      chart_(new DistributionChart(this)),
      treeBox_(nullptr),
      treeAnswer_(new QLabel(this)),
      nodeEvidence_(new QLabel(this)),
      treePath_(new TreePathModel(this)),
      neighbours_(new NeighbourTableModel(this)),
      neighbourTable_(plainTable(this)),
      heatmap_(new ContributionHeatmap(this)),
      provenance_(new QListWidget(this)),
      source_(new SourceContextView(this)),
      columns_(new QSplitter(Qt::Horizontal, this)),
      rightRows_(new QSplitter(Qt::Vertical, this)),
      bottomRow_(new QSplitter(Qt::Horizontal, this)) {
  auto* empty = new QLabel(tr("<h3>Train a memory first</h3>"
                              "<p>Open the <b>Train &amp; Evaluate</b> tab and press <b>Train</b> "
                              "(Ctrl+T).<br>Then type a context here, or pick a test token, to see "
                              "why the memory predicts what it does.</p>"),
                           this);
  empty->setObjectName(QStringLiteral("inspectEmpty"));
  empty->setAlignment(Qt::AlignCenter);
  empty->setWordWrap(true);

  auto* content = new QWidget(this);
  auto* contentLayout = new QVBoxLayout(content);
  contentLayout->setContentsMargins(0, 0, 0, 0);
  contentLayout->addWidget(createQueryBar());
  contentLayout->addWidget(createResultPane(), 1);

  pages_->addWidget(empty);
  pages_->addWidget(content);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(pages_);
  setExperiment(nullptr);
}

QWidget* InspectWidget::createQueryBar() {
  auto* bar = new QWidget(this);
  contextEdit_->setObjectName(QStringLiteral("inspectContext"));
  contextEdit_->setPlaceholderText(tr("Type a context, e.g. “and the LORD said”, and press Enter"));
  contextEdit_->setClearButtonEnabled(true);
  contextEdit_->setToolTip(
      tr("The words before the token to predict; only the last ones the "
         "memory's width covers count (Ctrl+I)"));
  connect(contextEdit_, &QLineEdit::returnPressed, this, [this] {
    if (!contextEdit_->text().trimmed().isEmpty()) Q_EMIT contextRequested(contextEdit_->text());
  });
  auto* contextLabel = new QLabel(tr("&Context:"), bar);
  contextLabel->setBuddy(contextEdit_);

  testToken_->setObjectName(QStringLiteral("inspectTestToken"));
  testToken_->setKeyboardTracking(false);  // ask once the number is typed, not per digit
  testToken_->setToolTip(
      tr("Inspect this token of the test set: its context as the memory saw "
         "it, and its true next token"));
  testToken_->setMinimumWidth(
      testToken_->fontMetrics().horizontalAdvance(QStringLiteral("0000000")) + 40);
  connect(testToken_, &QSpinBox::valueChanged, this,
          [this](int index) { Q_EMIT testTokenRequested(index); });
  auto* testLabel = new QLabel(tr("Test &token:"), bar);
  testLabel->setBuddy(testToken_);
  randomToken_->setObjectName(QStringLiteral("randomTestToken"));
  connect(randomToken_, &QPushButton::clicked, this, [this] {
    inspectTestToken(
        static_cast<int>(QRandomGenerator::global()->bounded(testToken_->maximum() + 1)));
  });

  k_->setObjectName(QStringLiteral("inspectK"));
  k_->setRange(1, 100);
  k_->setToolTip(tr("Distance buckets that vote. A change retrains the memory for this page"));
  kLabel_->setBuddy(k_);
  for (const char* name :
       {QT_TR_NOOP("none (Z)"), QT_TR_NOOP("inverse linear (IL)"),
        QT_TR_NOOP("inverse distance (ID)"), QT_TR_NOOP("exponential decay (ED)")}) {
    distanceWeighting_->addItem(tr(name));
  }
  distanceWeighting_->setObjectName(QStringLiteral("inspectDistanceWeighting"));
  distanceWeighting_->setToolTip(tr("How nearer buckets outvote farther ones"));
  distanceWeightingLabel_->setBuddy(distanceWeighting_);
  temperature_->setObjectName(QStringLiteral("inspectTemperature"));
  temperature_->setRange(0.001, 100.0);  // the tuning grid starts at 0.001
  temperature_->setDecimals(3);
  temperature_->setSingleStep(0.1);
  temperature_->setToolTip(tr("Softmax temperature of the attention: lower reads fewer slots"));
  temperatureLabel_->setBuddy(temperature_);
  lambda_->setObjectName(QStringLiteral("inspectLambda"));
  lambda_->setRange(0.0, 1.0);
  lambda_->setDecimals(2);
  lambda_->setSingleStep(0.05);
  lambda_->setToolTip(tr("Weight of the memory against the Kneser-Ney base model"));
  lambdaLabel_->setBuddy(lambda_);
  replay_->setObjectName(QStringLiteral("inspectReplay"));
  replay_->setToolTip(
      tr("Trace against the memory as it was after the first training instances, in corpus "
         "order: drag left to see when the prediction was learnt (Home/End, PgUp/PgDn)"));
  replayLabel_->setBuddy(replay_);
  replayText_->setObjectName(QStringLiteral("inspectReplayText"));
  connect(replay_, &QSlider::valueChanged, this, &InspectWidget::showReplay);
  settingsPause_->setSingleShot(true);
  settingsPause_->setInterval(kSettingsPauseMs);
  connect(settingsPause_, &QTimer::timeout, this, &InspectWidget::settingsChanged);
  auto pause = [this] { settingsPause_->start(); };
  connect(k_, &QSpinBox::valueChanged, this, pause);
  connect(distanceWeighting_, &QComboBox::currentIndexChanged, this, pause);
  connect(temperature_, &QDoubleSpinBox::valueChanged, this, pause);
  connect(lambda_, &QDoubleSpinBox::valueChanged, this, pause);
  connect(replay_, &QSlider::valueChanged, this, pause);
  status_->setObjectName(QStringLiteral("inspectStatus"));
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* top = new QHBoxLayout;
  top->addWidget(contextLabel);
  top->addWidget(contextEdit_, 1);
  top->addSpacing(12);
  top->addWidget(testLabel);
  top->addWidget(testToken_);
  top->addWidget(randomToken_);
  auto* controls = new QHBoxLayout;
  for (QWidget* w :
       std::initializer_list<QWidget*>{kLabel_, k_, distanceWeightingLabel_, distanceWeighting_,
                                       temperatureLabel_, temperature_, lambdaLabel_, lambda_}) {
    controls->addWidget(w);
  }
  controls->addSpacing(12);
  controls->addWidget(status_, 1);
  auto* replayRow = new QHBoxLayout;
  replayRow->addWidget(replayLabel_);
  replayRow->addWidget(replay_, 2);
  replayRow->addWidget(replayText_, 3);
  auto* layout = new QVBoxLayout(bar);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addLayout(controls);
  layout->addLayout(replayRow);
  return bar;
}

QWidget* InspectWidget::createResultPane() {
  prediction_->setObjectName(QStringLiteral("predictionLabel"));
  QFont big = prediction_->font();
  big.setPointSizeF(big.pointSizeF() * 1.8);
  big.setBold(true);
  prediction_->setFont(big);
  prediction_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  details_->setObjectName(QStringLiteral("predictionDetails"));
  details_->setWordWrap(true);
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* summary = new QWidget(this);
  auto* summaryLayout = new QVBoxLayout(summary);
  summaryLayout->setContentsMargins(0, 0, 0, 0);
  summaryLayout->addWidget(prediction_);
  summaryLayout->addWidget(details_);

  auto* treeTable = plainTable(this);
  treeTable->setObjectName(QStringLiteral("treePathTable"));
  treeTable->setModel(treePath_);
  // As tall as every level of the walk (width + 1 rows) up to a dozen; then it scrolls.
  connect(treePath_, &QAbstractItemModel::modelReset, treeTable, [treeTable, this] {
    const int rows = std::clamp(treePath_->rowCount(), 3, 12);
    treeTable->setFixedHeight(treeTable->horizontalHeader()->sizeHint().height() +
                              rows * treeTable->verticalHeader()->defaultSectionSize() +
                              2 * treeTable->frameWidth());
  });
  treeAnswer_->setObjectName(QStringLiteral("treeAnswerLabel"));
  treeAnswer_->setWordWrap(true);
  treeBox_ = new QGroupBox(tr("Tree path"), this);
  auto* treeLayout = new QVBoxLayout(treeBox_);
  treeLayout->setContentsMargins(6, 6, 6, 6);
  treeLayout->addWidget(treeAnswer_);
  treeLayout->addWidget(treeTable);

  // The summary keeps its natural height (its lines wrap); the chart takes the rest.
  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(boxed(tr("Prediction"), summary, this));
  leftLayout->addWidget(chart_, 1);

  neighbourTable_->setObjectName(QStringLiteral("neighbourTable"));
  neighbourTable_->setModel(neighbours_);
  neighbourTable_->setWordWrap(false);
  connect(neighbourTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) { showNeighbour(current.row()); });
  connect(heatmap_, &ContributionHeatmap::rowClicked, this,
          [this](int row) { neighbourTable_->selectRow(row); });
  heatmap_->setObjectName(QStringLiteral("contributionHeatmap"));
  auto* heatmapScroll = new QScrollArea(this);
  heatmapScroll->setWidget(heatmap_);
  heatmapScroll->setWidgetResizable(true);
  heatmapScroll->setFrameShape(QFrame::NoFrame);

  provenance_->setObjectName(QStringLiteral("provenanceList"));
  provenance_->setToolTip(tr("Where the selected neighbour's training instances came from"));
  connect(provenance_, &QListWidget::currentRowChanged, this, &InspectWidget::showProvenance);
  source_->setObjectName(QStringLiteral("sourceView"));
  auto* provenanceColumn = new QSplitter(Qt::Vertical, this);
  provenanceColumn->addWidget(provenance_);
  provenanceColumn->addWidget(source_);
  provenanceColumn->setChildrenCollapsible(false);
  // Halves: the list's five positions, and the lines around the selected one.
  provenanceColumn->setStretchFactor(0, 1);
  provenanceColumn->setStretchFactor(1, 1);
  provenanceColumn->setSizes({1, 1});

  heatmapBox_ = boxed(tr("Feature-match map"), heatmapScroll, this);
  heatmapBox_->setToolTip(tr("Each neighbour's distance, split over the context positions"));
  bottomRow_->addWidget(heatmapBox_);
  provenanceBox_ = boxed(tr("Provenance of the selected neighbour"), provenanceColumn, this);
  bottomRow_->addWidget(provenanceBox_);
  bottomRow_->setChildrenCollapsible(false);
  bottomRow_->setStretchFactor(0, 3);
  bottomRow_->setStretchFactor(1, 2);
  // Above the table for an IGTree answer: which of the answering node's vectors it lists.
  nodeEvidence_->setObjectName(QStringLiteral("nodeEvidenceLabel"));
  nodeEvidence_->setWordWrap(true);
  nodeEvidence_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  nodeEvidence_->setToolTip(
      tr("Their summed next-token counts are the answering node's "
         "distribution: the tree's answer"));
  auto* neighbourColumn = new QWidget(this);
  auto* neighbourLayout = new QVBoxLayout(neighbourColumn);
  neighbourLayout->setContentsMargins(0, 0, 0, 0);
  neighbourLayout->addWidget(nodeEvidence_);
  neighbourLayout->addWidget(neighbourTable_, 1);
  neighbourBox_ = boxed(tr("Neighbours"), neighbourColumn, this);
  // The tree path sits right above the table it explains, only as tall as its rows, so that
  // the table keeps its share of the column.
  auto* upper = new QWidget(this);
  auto* upperLayout = new QVBoxLayout(upper);
  upperLayout->setContentsMargins(0, 0, 0, 0);
  upperLayout->addWidget(treeBox_);
  upperLayout->addWidget(neighbourBox_, 1);
  rightRows_->addWidget(upper);
  rightRows_->addWidget(bottomRow_);
  rightRows_->setChildrenCollapsible(false);
  rightRows_->setStretchFactor(0, 2);
  rightRows_->setStretchFactor(1, 3);
  // Equal sizes to start from (a saved layout replaces them): by their size hints the map and
  // provenance would take most of the column and leave the table below a tree path two rows.
  rightRows_->setSizes({1, 1});
  columns_->addWidget(left);
  columns_->addWidget(rightRows_);
  columns_->setChildrenCollapsible(false);
  columns_->setStretchFactor(1, 1);
  columns_->setSizes({430, 1000});
  return columns_;
}

void InspectWidget::setExperiment(const std::shared_ptr<const Experiment>& experiment) {
  const bool sameMemory =
      experiment_ && experiment && &experiment->classifier() == &experiment_->classifier();
  experiment_ = experiment;
  if (sameMemory) return;  // evaluated since: what the page shows still holds
  setSnapshot(nullptr);
  if (!experiment_) {
    pages_->setCurrentIndex(0);
    return;
  }
  pages_->setCurrentIndex(1);
  const RunRecord& record = experiment_->record();
  defaults_ = InspectSettings::of(record.options);
  const QSignalBlocker blockToken(testToken_), blockK(k_), blockWeighting(distanceWeighting_),
      blockT(temperature_), blockLambda(lambda_), blockReplay(replay_);
  const int testTokens = static_cast<int>(std::min<size_t>(experiment_->test().size(), INT_MAX));
  testToken_->setRange(0, std::max(0, testTokens - 1));
  testToken_->setEnabled(testTokens > 0);
  randomToken_->setEnabled(testTokens > 0);
  k_->setValue(defaults_.k);
  distanceWeighting_->setCurrentIndex(static_cast<int>(defaults_.distanceWeighting));
  temperature_->setValue(record.memoryTemperature);
  lambda_->setValue(record.memoryLambda);
  // Not train().size(): train() would copy every training instance out of a memory file, on this
  // thread (19 s for 73M).
  const int trainInstances =
      static_cast<int>(std::min<uint64_t>(experiment_->trainSize(), INT_MAX));
  replay_->setRange(std::min(1, trainInstances), trainInstances);
  replay_->setPageStep(std::max(1, trainInstances / 20));
  replay_->setValue(trainInstances);
  showReplay();
  updateControls(record.options.classifier.algorithm);
  status_->setText(tr("Memory: %1, %2 stored vectors")
                       .arg(QString::fromLatin1(optionLabel(record.options.classifier.algorithm)),
                            QLocale().toString(record.storedVectors)));
}

void InspectWidget::updateControls(Algorithm algorithm) {
  const bool vote = algorithm == Algorithm::kIb1 || algorithm == Algorithm::kTribl2;
  const bool vector = algorithm == Algorithm::kVectorMemory;
  for (QWidget* w :
       std::initializer_list<QWidget*>{kLabel_, k_, distanceWeightingLabel_, distanceWeighting_}) {
    w->setVisible(vote);
  }
  for (QWidget* w :
       std::initializer_list<QWidget*>{temperatureLabel_, temperature_, lambdaLabel_, lambda_}) {
    w->setVisible(vector);
  }
  // The vector memory is retrained as a whole experiment, not from a part of its instances; a
  // memory without provenance has no corpus order to replay.
  const bool replayable =
      !vector && replay_->maximum() > 0 && experiment_ && experiment_->hasProvenance();
  for (QWidget* w : std::initializer_list<QWidget*>{replayLabel_, replay_, replayText_})
    w->setVisible(replayable);
  contextEdit_->setEnabled(true);  // showTraceFile() turns it off while no memory is open
  showPanesFor(algorithm);
}

void InspectWidget::showPanesFor(Algorithm algorithm) {
  treeBox_->setVisible(algorithm == Algorithm::kIgTree || algorithm == Algorithm::kTribl2);
  heatmapBox_->setTitle(algorithm == Algorithm::kVectorMemory
                            ? tr("Attention map (distance terms / T)")
                            : tr("Feature-match map"));
}

void InspectWidget::showTraceFile(std::shared_ptr<const InspectSnapshot> snapshot) {
  const QString name = QFileInfo(snapshot->file).fileName();
  if (!experiment_) {
    // Nothing to trace against: only the file's trace is shown.
    pages_->setCurrentIndex(1);
    for (QWidget* w : std::initializer_list<QWidget*>{
             kLabel_, k_, distanceWeightingLabel_, distanceWeighting_, temperatureLabel_,
             temperature_, lambdaLabel_, lambda_, replayLabel_, replay_, replayText_})
      w->setVisible(false);
    for (QWidget* w : std::initializer_list<QWidget*>{contextEdit_, testToken_, randomToken_})
      w->setEnabled(false);
  }
  {
    const QSignalBlocker block(contextEdit_);
    QStringList context;
    for (uint32_t id : snapshot->context) context.append(snapshot->tokenText(id));
    contextEdit_->setText(context.join(QLatin1Char(' ')));
  }
  setSnapshot(std::move(snapshot));
  status_->setText(experiment_ ? tr("Read from %1, as memlens-cli wrote it. Type a context to "
                                    "trace it against the open memory.")
                                     .arg(name)
                               : tr("Read from %1, as memlens-cli wrote it. No memory is open: "
                                    "open one (Ctrl+Shift+M) to trace other contexts.")
                                     .arg(name));
}

InspectSettings InspectWidget::settings() const {
  if (!experiment_) return defaults_;
  const RunRecord& record = experiment_->record();
  InspectSettings s;
  s.k = k_->value();
  s.distanceWeighting = static_cast<DistanceWeighting>(distanceWeighting_->currentIndex());
  // Compared as the boxes round them: an untouched box keeps the tuned value unset.
  s.temperature = changedValue(
      temperature_,
      QString::number(record.memoryTemperature, 'f', temperature_->decimals()).toDouble());
  s.lambda = changedValue(
      lambda_, QString::number(record.memoryLambda, 'f', lambda_->decimals()).toDouble());
  if (!s.temperature) s.temperature = defaults_.temperature;
  if (!s.lambda) s.lambda = defaults_.lambda;
  if (replay_->value() < replay_->maximum()) s.prefix = static_cast<uint64_t>(replay_->value());
  return s;
}

void InspectWidget::showReplay() {
  if (!experiment_) return;
  const QLocale locale;
  const uint64_t total = experiment_->trainSize();
  const auto n = static_cast<size_t>(replay_->value());
  if (n >= total || n == 0) {
    replayText_->setText(tr("the whole memory: %1 training instances")
                             .arg(locale.toString(static_cast<qulonglong>(total))));
    return;
  }
  replayText_->setText(
      tr("the first %1 of %2 training instances, up to %3")
          .arg(locale.toString(static_cast<qulonglong>(n)),
               locale.toString(static_cast<qulonglong>(total)),
               sourceText(experiment_->corpus(), experiment_->trainSource(n - 1))));
}

void InspectWidget::focusContext() {
  contextEdit_->setFocus(Qt::ShortcutFocusReason);
  contextEdit_->selectAll();
}

void InspectWidget::inspectTestToken(int index) {
  {
    const QSignalBlocker block(testToken_);
    testToken_->setValue(index);
  }
  Q_EMIT testTokenRequested(testToken_->value());
}

void InspectWidget::showWork(const QString& message) { status_->setText(message); }

void InspectWidget::showError(const QString& message) {
  status_->setText(
      QStringLiteral("<span style='color:#b00020'>%1</span>").arg(message.toHtmlEscaped()));
}

void InspectWidget::setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  if (snapshot_) {
    showPanesFor(snapshot_->algorithm);
  } else if (experiment_) {
    showPanesFor(experiment_->record().options.classifier.algorithm);
  }
  neighbours_->setSnapshot(snapshot_);
  treePath_->setSnapshot(snapshot_);
  heatmap_->setSnapshot(snapshot_);
  chart_->setSnapshot(snapshot_, tr("Next-token distribution: inspect a context"));
  treeAnswer_->setText(snapshot_ ? treePath_->answerText() : tr("No context inspected yet."));
  const bool tree = snapshot_ && snapshot_->nodeEvidence;
  nodeEvidence_->setText(neighbours_->nodeEvidenceText());
  nodeEvidence_->setVisible(tree || (snapshot_ && snapshot_->unlistedVectors > 0));
  neighbourBox_->setTitle(tree ? tr("Stored vectors under the answering node") : tr("Neighbours"));
  provenanceBox_->setTitle(tree ? tr("Provenance of the selected stored vector")
                                : tr("Provenance of the selected neighbour"));
  showSummary();
  provenance_->clear();
  source_->clearWithHint(tree ? tr("Select a stored vector, then one of its corpus positions.")
                              : tr("Select a neighbour, then one of its corpus positions."));
  if (snapshot_ && !snapshot_->neighbours.empty()) neighbourTable_->selectRow(0);
}

void InspectWidget::showSummary() {
  if (!snapshot_) {
    prediction_->setText(QStringLiteral("—"));
    details_->setText(tr("Type a context above and press Enter, or pick a test token."));
    return;
  }
  const InspectSnapshot& s = *snapshot_;
  const QLocale locale;
  prediction_->setText(s.tokenText(s.prediction));
  QStringList context;
  for (uint32_t id : s.context) context.append(s.tokenText(id).toHtmlEscaped());
  QStringList lines;
  lines.append(tr("after <i>%1</i>").arg(context.join(QLatin1Char(' '))));
  if (s.target != Prediction::kNoClass) {
    const bool right = s.target == s.prediction;
    lines.append(tr("true next token: <b>%1</b> <span style='color:%2'>%3</span>")
                     .arg(s.tokenText(s.target).toHtmlEscaped(),
                          right ? QStringLiteral("#1a7f37") : QStringLiteral("#b00020"),
                          right ? tr("✓ right") : tr("✗ wrong")));
  }
  QStringList figures;
  if (s.entropyBits)
    figures.append(tr("entropy %1 bits").arg(locale.toString(*s.entropyBits, 'f', 2)));
  figures.append(tr("memory weight λ %1").arg(locale.toString(s.memoryWeight, 'f', 3)));
  if (s.temperature) figures.append(tr("T %1").arg(locale.toString(*s.temperature, 'g', 3)));
  figures.append(tr("nearest distance %1").arg(locale.toString(s.distance, 'f', 4)));
  if (s.tie) figures.append(tr("tie broken"));
  lines.append(figures.join(QStringLiteral(" · ")));
  details_->setText(lines.join(QStringLiteral("<br>")));
}

void InspectWidget::showNeighbour(int row) {
  heatmap_->setSelectedRow(row);
  provenance_->clear();
  if (!snapshot_ || row < 0 || row >= static_cast<int>(snapshot_->neighbours.size())) return;
  const InspectNeighbour& n = snapshot_->neighbours[static_cast<size_t>(row)];
  if (snapshot_->experiment && !snapshot_->experiment->hasProvenance()) {
    // One line each: the list does not wrap.
    for (const QString& line : {tr("No provenance: %n instance(s), from a TiMBL instance base",
                                   nullptr, static_cast<int>(n.instanceCount)),
                                tr("read without the text it was trained on."),
                                tr("File ▸ Attach Training Text… recovers where they came from.")})
      (new QListWidgetItem(line, provenance_))->setFlags(Qt::NoItemFlags);
    return;
  }
  for (const ProvenanceRef& p : n.provenance) {
    auto* item = new QListWidgetItem(QStringLiteral("%1:%2  %3")
                                         .arg(QFileInfo(QString::fromStdString(p.path)).fileName())
                                         .arg(p.line)
                                         .arg(QString::fromStdString(p.snippet)),
                                     provenance_);
    if (snapshot_->hasCorpusText())
      item->setData(kProvenanceTokenRole, static_cast<qulonglong>(p.token));
    item->setToolTip(QString::fromStdString(p.path));
  }
  if (n.instanceCount > n.provenance.size()) {
    auto* more = new QListWidgetItem(tr("… and %n more instance(s)", nullptr,
                                        static_cast<int>(n.instanceCount - n.provenance.size())),
                                     provenance_);
    more->setFlags(Qt::NoItemFlags);
  }
  if (!snapshot_->hasCorpusText()) {
    source_->clearWithHint(
        tr("A trace read from a file gives each corpus position's line (above), not the "
           "corpus text around it."));
  }
  if (!n.provenance.empty()) provenance_->setCurrentRow(0);
}

void InspectWidget::showProvenance(int item) {
  const QListWidgetItem* entry = provenance_->item(item);
  if (!snapshot_ || !entry || !entry->data(kProvenanceTokenRole).isValid()) return;
  source_->showToken(snapshot_->experiment->corpus(),
                     entry->data(kProvenanceTokenRole).toULongLong());
}

QByteArray InspectWidget::saveState() const {
  QByteArray state;
  QDataStream out(&state, QIODevice::WriteOnly);
  out << columns_->saveState() << rightRows_->saveState() << bottomRow_->saveState();
  return state;
}

void InspectWidget::restoreState(const QByteArray& state) {
  QDataStream in(state);
  QByteArray columns, rightRows, bottomRow;
  in >> columns >> rightRows >> bottomRow;
  if (in.status() != QDataStream::Ok) return;
  columns_->restoreState(columns);
  rightRows_->restoreState(rightRows);
  bottomRow_->restoreState(bottomRow);
}

}  // namespace memlens::views
