#include "memory/memory_browser_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDataStream>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <set>
#include <tuple>

#include "common/elide_left_delegate.h"
#include "common/token_text.h"
#include "memlens/option_names.h"
#include "memory/memory_table_model.h"

namespace memlens::views {

namespace {

// The parameters each pruning strategy reads; a new strategy needs one line here.
struct StrategyParameters {
  PruneStrategy strategy;
  bool minCount = false, keep = false, document = false, neighbours = false,
       mergeNeighbours = false, instances = false;
};
// Thresholds worth dragging through; larger ones are typed.
constexpr int kMinCountSliderMax = 100;
// A drag previews once it pauses this long, not at every pixel.
constexpr int kLivePauseMs = 250;

constexpr std::array kStrategies = {
    StrategyParameters{PruneStrategy::kCountThreshold, true, false, false, false},
    StrategyParameters{PruneStrategy::kNeverNeighbour},
    StrategyParameters{PruneStrategy::kNegativeCredit},
    StrategyParameters{PruneStrategy::kRandom, false, true, false, false},
    StrategyParameters{PruneStrategy::kDocument, false, false, true, false},
    StrategyParameters{PruneStrategy::kWilson, false, false, false, true},
    StrategyParameters{PruneStrategy::kMerge, false, false, false, false, true},
    StrategyParameters{PruneStrategy::kCondensed},
    StrategyParameters{PruneStrategy::kIgTreeCompression},
    StrategyParameters{PruneStrategy::kPrefix, false, false, false, false, false, true},
};

QTableView* rowTable(QWidget* parent, QAbstractItemModel* model) {
  auto* table = new QTableView(parent);
  table->setModel(model);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setWordWrap(false);
  table->verticalHeader()->hide();
  // Fixed heights and interactive widths: measuring a million rows would freeze the GUI.
  table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table->horizontalHeader()->setStretchLastSection(true);
  return table;
}

QGroupBox* boxed(const QString& title, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(6, 6, 6, 6);
  return box;
}

QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

QString accuracy(uint64_t correct, uint64_t tokens) {
  return tokens ? QLocale().toString(static_cast<double>(correct) / static_cast<double>(tokens),
                                     'f', 4)
                : QStringLiteral("–");
}

}  // namespace

MemoryBrowserWidget::MemoryBrowserWidget(QWidget* parent)
    : QWidget(parent),
      pages_(new QStackedWidget(this)),
      unavailable_(new QLabel(this)),
      model_(new MemoryTableModel(this)),
      changes_(new ChangedTokenModel(this)) {
  qRegisterMetaType<memlens::PruneOptions>();
  unavailable_->setObjectName(QStringLiteral("memoryUnavailable"));
  unavailable_->setAlignment(Qt::AlignCenter);
  unavailable_->setWordWrap(true);
  unavailable_->setText(
      tr("Train a memory on the Train & Evaluate tab to browse and edit it here."));

  auto* content = new QWidget(this);
  auto* layout = new QVBoxLayout(content);
  layout->setContentsMargins(0, 0, 0, 0);
  columns_ = new QSplitter(Qt::Horizontal, content);
  columns_->addWidget(createTablePane());
  columns_->addWidget(createSidePane());
  columns_->setStretchFactor(0, 3);
  columns_->setStretchFactor(1, 2);
  layout->addWidget(columns_, 1);

  // The status row keeps its height and its widgets their places when a job starts or ends:
  // a row growing under the splitter would squeeze the panes at the moment a job starts.
  auto* status = new QWidget(content);
  auto* statusRow = new QHBoxLayout(status);
  statusRow->setContentsMargins(0, 0, 0, 0);
  work_ = new QLabel(status);
  work_->setObjectName(QStringLiteral("memoryWork"));
  work_->setWordWrap(true);
  progress_ = new QProgressBar(status);
  progress_->setRange(0, 1000);
  progress_->setFixedWidth(200);
  progress_->setTextVisible(false);
  cancel_ = new QToolButton(status);
  cancel_->setObjectName(QStringLiteral("memoryCancel"));
  cancel_->setText(tr("Cancel"));
  cancel_->setToolTip(tr("Cancel the job that is running: a preview, commit, undo or redo"));
  // A big memory's edited state is listed only when asked: it costs minutes and gigabytes.
  listEdited_ = new QPushButton(tr("&List Edited Memory"), status);
  listEdited_->setObjectName(QStringLiteral("memoryListEdited"));
  listEdited_->setToolTip(
      tr("The table and Inspect show the memory as it was before the latest "
         "edits; this lists the edited memory for them (a job)"));
  listEdited_->hide();
  statusRow->addWidget(work_, 1);
  statusRow->addWidget(listEdited_);
  statusRow->addWidget(progress_);
  statusRow->addWidget(cancel_);
  for (QWidget* hidden : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancel_)}) {
    QSizePolicy policy = hidden->sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    hidden->setSizePolicy(policy);
  }
  // Two lines of a message, or the tallest button.
  status->setFixedHeight(
      std::max({2 * work_->fontMetrics().lineSpacing(), listEdited_->sizeHint().height(),
                progress_->sizeHint().height(), cancel_->sizeHint().height()}));
  layout->addWidget(status);
  connect(listEdited_, &QPushButton::clicked, this, &MemoryBrowserWidget::listEditedRequested);
  connect(cancel_, &QToolButton::clicked, this, &MemoryBrowserWidget::cancelRequested);

  pages_->addWidget(unavailable_);
  pages_->addWidget(content);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(6, 6, 6, 6);
  outer->addWidget(pages_);
  setBusy(false, false);
}

QWidget* MemoryBrowserWidget::createTablePane() {
  auto* pane = new QWidget(this);
  auto* layout = new QVBoxLayout(pane);
  layout->setContentsMargins(0, 0, 0, 0);
  summary_ = new QLabel(pane);
  summary_->setObjectName(QStringLiteral("memorySummary"));
  summary_->setWordWrap(true);
  summary_->installEventFilter(this);
  // Recomputed weights move predictions far from a deleted vector: the mode is always in view.
  weights_ = new QComboBox(pane);
  weights_->setObjectName(QStringLiteral("memoryWeightsMode"));
  weights_->addItem(tr("recomputed after each edit"), false);
  weights_->addItem(tr("kept as trained"), true);
  auto* summaryRow = new QHBoxLayout();
  summaryRow->addWidget(summary_, 1);
  auto* weightsLabel = new QLabel(tr("Feature &weights:"), pane);
  weightsLabel->setBuddy(weights_);
  summaryRow->addWidget(weightsLabel, 0, Qt::AlignTop);
  summaryRow->addWidget(weights_, 0, Qt::AlignTop);
  layout->addLayout(summaryRow);
  connect(weights_, &QComboBox::activated, this,
          [this](int index) { Q_EMIT weightsModeChosen(weights_->itemData(index).toBool()); });

  auto* filterRow = new QHBoxLayout();
  filter_ = new QLineEdit(pane);
  filter_->setObjectName(QStringLiteral("memoryFilter"));
  filter_->setPlaceholderText(tr("Filter by a token (exact), then Enter"));
  filter_->setClearButtonEnabled(true);
  scope_ = new QComboBox(pane);
  scope_->addItem(tr("in context or targets"), static_cast<int>(MemoryFilterScope::kEither));
  scope_->addItem(tr("in context"), static_cast<int>(MemoryFilterScope::kContext));
  scope_->addItem(tr("in targets"), static_cast<int>(MemoryFilterScope::kTargets));
  rowsLabel_ = new QLabel(pane);
  rowsLabel_->setObjectName(QStringLiteral("memoryRows"));
  filterRow->addWidget(new QLabel(tr("Filter:"), pane));
  filterRow->addWidget(filter_, 1);
  filterRow->addWidget(scope_);
  filterRow->addWidget(rowsLabel_);
  // Over millions of vectors a filter or a sort by instances takes a moment on a worker.
  stopPicking_ = new QToolButton(pane);
  stopPicking_->setObjectName(QStringLiteral("memoryStopPicking"));
  stopPicking_->setText(tr("Stop"));
  stopPicking_->setToolTip(tr("Stop filtering or sorting; the rows shown stay"));
  stopPicking_->hide();
  filterRow->addWidget(stopPicking_);
  layout->addLayout(filterRow);
  connect(stopPicking_, &QToolButton::clicked, model_, &MemoryTableModel::cancelPicking);
  connect(model_, &MemoryTableModel::picking, this, [this](double fraction, const QString& stage) {
    rowsLabel_->setText(tr("%1… %2%").arg(stage).arg(qRound(100.0 * fraction)));
    stopPicking_->show();
  });
  connect(model_, &MemoryTableModel::pickingDone, this, [this] {
    stopPicking_->hide();
    showRowCount();
  });
  connect(filter_, &QLineEdit::returnPressed, this, &MemoryBrowserWidget::applyFilter);
  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
    if (text.isEmpty()) applyFilter();  // the clear button shows everything again
  });
  connect(scope_, &QComboBox::currentIndexChanged, this, &MemoryBrowserWidget::applyFilter);

  table_ = rowTable(pane, model_);
  table_->setObjectName(QStringLiteral("memoryTable"));
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setSortingEnabled(true);
  table_->horizontalHeader()->setSortIndicator(MemoryTableModel::kId, Qt::AscendingOrder);
  const int em = table_->fontMetrics().horizontalAdvance(QLatin1Char('m'));
  table_->setColumnWidth(MemoryTableModel::kId, 7 * em);
  table_->setColumnWidth(MemoryTableModel::kContext, 18 * em);
  table_->setItemDelegateForColumn(MemoryTableModel::kContext, new ElideLeftDelegate(table_));
  table_->setColumnWidth(MemoryTableModel::kTargets, 18 * em);
  table_->setColumnWidth(MemoryTableModel::kInstances, 6 * em);
  table_->setColumnWidth(MemoryTableModel::kUsed, 5 * em);
  layout->addWidget(table_, 1);
  // Only the id and the count sort; a click elsewhere puts the indicator back on the order shown.
  connect(table_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, [this](int column) {
    if (column == MemoryTableModel::kId || column == MemoryTableModel::kInstances) return;
    const MemoryOrder o = model_->order();
    const bool byId = o == MemoryOrder::kIdAscending || o == MemoryOrder::kIdDescending;
    const bool ascending = o == MemoryOrder::kIdAscending || o == MemoryOrder::kFewestInstances;
    table_->horizontalHeader()->setSortIndicator(
        byId ? MemoryTableModel::kId : MemoryTableModel::kInstances,
        ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MemoryBrowserWidget::updateButtons);
  // The model resets on every filter and sort, which replaces nothing in the selection model's
  // connection but does empty the selection.
  connect(model_, &QAbstractItemModel::modelReset, this, [this] {
    showRowCount();
    updateButtons();
  });

  auto* buttons = new QHBoxLayout();
  delete_ = new QPushButton(tr("&Delete…"), pane);
  delete_->setObjectName(QStringLiteral("memoryDelete"));
  delete_->setToolTip(tr("Preview deleting the selected stored vectors (Del)"));
  delete_->setShortcut(QKeySequence::Delete);
  relabel_ = new QPushButton(tr("&Relabel…"), pane);
  relabel_->setToolTip(tr("Preview giving every instance of the selected vector another target"));
  restore_ = new QPushButton(tr("Re&store…"), pane);
  restore_->setToolTip(tr("Preview restoring a deleted stored vector"));
  buttons->addWidget(delete_);
  buttons->addWidget(relabel_);
  buttons->addWidget(restore_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  connect(delete_, &QPushButton::clicked, this,
          [this] { Q_EMIT deleteRequested(selectedVectors()); });
  connect(relabel_, &QPushButton::clicked, this, &MemoryBrowserWidget::askRelabel);
  connect(restore_, &QPushButton::clicked, this, &MemoryBrowserWidget::askRestore);
  return pane;
}

QWidget* MemoryBrowserWidget::createSidePane() {
  sideRows_ = new QSplitter(Qt::Vertical, this);

  QGroupBox* changeBox = boxed(tr("Changes"), sideRows_);
  auto* changeLayout = static_cast<QVBoxLayout*>(changeBox->layout());
  changeTitle_ = new QLabel(tr("Select stored vectors and press Delete, Relabel or Restore to "
                               "preview what the edit changes."),
                            changeBox);
  changeTitle_->setObjectName(QStringLiteral("memoryChangeTitle"));
  changeTitle_->setWordWrap(true);
  changeTitle_->installEventFilter(this);
  changeFigures_ = new QLabel(changeBox);
  changeFigures_->setObjectName(QStringLiteral("memoryChangeFigures"));
  changeFigures_->setWordWrap(true);
  changeFigures_->installEventFilter(this);
  probeNote_ = new QLabel(changeBox);
  probeNote_->setWordWrap(true);
  probeNote_->installEventFilter(this);
  probeNote_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  probeButton_ = new QPushButton(tr("&Probe Set…"), changeBox);
  probeButton_->setObjectName(QStringLiteral("memoryProbeSet"));
  probeButton_->setToolTip(tr("Probe with your own sentences instead of the held-out test tokens"));
  auto* probeRow = new QHBoxLayout();
  probeRow->addWidget(probeNote_, 1);
  probeRow->addWidget(probeButton_, 0, Qt::AlignTop);
  changeTable_ = rowTable(changeBox, changes_);
  changeTable_->setObjectName(QStringLiteral("memoryChanges"));
  changeTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  {
    const int em = changeTable_->fontMetrics().horizontalAdvance(QLatin1Char('m'));
    for (auto [column, ems] : {std::pair{ChangedTokenModel::kToken, 4},
                               {ChangedTokenModel::kSource, 7},
                               {ChangedTokenModel::kTruth, 5},
                               {ChangedTokenModel::kBefore, 5},
                               {ChangedTokenModel::kAfter, 5}}) {
      changeTable_->setColumnWidth(column, ems * em);
    }
  }
  auto* commitRow = new QHBoxLayout();
  commit_ = new QPushButton(tr("&Commit"), changeBox);
  commit_->setObjectName(QStringLiteral("memoryCommit"));
  commit_->setToolTip(tr("Apply the previewed edit to the memory (undo with Ctrl+Z)"));
  discard_ = new QPushButton(tr("Discard"), changeBox);
  commitRow->addStretch(1);
  commitRow->addWidget(discard_);
  commitRow->addWidget(commit_);
  changeLayout->addWidget(changeTitle_);
  changeLayout->addWidget(changeFigures_);
  changeLayout->addWidget(changeTable_, 1);
  changeLayout->addLayout(probeRow);
  changeLayout->addLayout(commitRow);
  connect(commit_, &QPushButton::clicked, this, &MemoryBrowserWidget::commitRequested);
  connect(discard_, &QPushButton::clicked, this, &MemoryBrowserWidget::discardRequested);
  connect(probeButton_, &QPushButton::clicked, this, &MemoryBrowserWidget::askProbeSentences);
  connect(changeTable_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (!changes_->change() || changes_->change()->preview) return;
    Q_EMIT inspectRequested(
        index.data(static_cast<int>(ChangedTokenModel::Role::ProbeIndex)).toInt());
  });

  sideRows_->addWidget(createPrunePanel());

  QGroupBox* journalBox = boxed(tr("Journal (Ctrl+Z undo, Ctrl+Shift+Z redo)"), sideRows_);
  journal_ = new QUndoView(journalBox);
  journal_->setObjectName(QStringLiteral("memoryJournal"));
  journal_->setEmptyLabel(tr("<trained memory>"));
  journalBox->layout()->addWidget(journal_);
  sideRows_->addWidget(journalBox);
  sideRows_->setStretchFactor(0, 4);
  sideRows_->setStretchFactor(1, 0);
  sideRows_->setStretchFactor(2, 1);
  return sideRows_;
}

QWidget* MemoryBrowserWidget::createPrunePanel() {
  QGroupBox* box = boxed(tr("Prune"), this);
  auto* form = new QFormLayout();
  strategy_ = new QComboBox(box);
  strategy_->setObjectName(QStringLiteral("pruneStrategy"));
  for (const StrategyParameters& s : kStrategies) {
    strategy_->addItem(QString::fromLatin1(optionLabel(s.strategy)), static_cast<int>(s.strategy));
  }
  const PruneOptions defaults;
  minCount_ = new QSpinBox(box);
  minCount_->setObjectName(QStringLiteral("pruneMinCount"));
  minCount_->setRange(2, 1000000);
  minCount_->setValue(static_cast<int>(defaults.minCount));
  minCount_->setToolTip(tr("Vectors holding fewer instances than this go"));
  keep_ = new QDoubleSpinBox(box);
  keep_->setObjectName(QStringLiteral("pruneKeep"));
  keep_->setRange(0.01, 0.99);
  keep_->setSingleStep(0.05);
  keep_->setValue(defaults.keepFraction);
  seed_ = new QSpinBox(box);
  seed_->setObjectName(QStringLiteral("pruneSeed"));
  seed_->setRange(1, 1 << 30);
  seed_->setValue(static_cast<int>(defaults.seed));
  document_ = new QSpinBox(box);
  document_->setRange(0, 1 << 30);
  neighbours_ = new QSpinBox(box);
  neighbours_->setRange(1, 100);
  neighbours_->setValue(defaults.neighbours);
  minCountLabel_ = new QLabel(tr("Minimum instances:"), box);
  keepLabel_ = new QLabel(tr("Keep fraction:"), box);
  seedLabel_ = new QLabel(tr("Seed:"), box);
  documentLabel_ = new QLabel(tr("Document:"), box);
  neighboursLabel_ = new QLabel(tr("k (buckets):"), box);
  mergeNeighbours_ = new QSpinBox(box);
  mergeNeighbours_->setRange(1, 100);
  mergeNeighbours_->setValue(defaults.mergeNeighbours);
  mergeNeighboursLabel_ = new QLabel(tr("Partner buckets:"), box);
  instances_ = new QSpinBox(box);
  instances_->setObjectName(QStringLiteral("pruneInstances"));
  instances_->setRange(1, 1 << 30);
  instances_->setGroupSeparatorShown(true);
  instances_->setToolTip(
      tr("Keep the first instances in corpus order: the memory as it was "
         "after them (replay)"));
  instancesLabel_ = new QLabel(tr("First instances:"), box);
  instancesPosition_ = new QLabel(box);
  instancesPosition_->setObjectName(QStringLiteral("pruneInstancesPosition"));
  instancesPosition_->setStyleSheet(QStringLiteral("color: palette(mid);"));
  connect(instances_, &QSpinBox::valueChanged, this, &MemoryBrowserWidget::showPrefixPosition);
  minCountSlider_ = new QSlider(Qt::Horizontal, box);
  minCountSlider_->setObjectName(QStringLiteral("pruneMinCountSlider"));
  minCountSlider_->setRange(2, kMinCountSliderMax);
  minCountSlider_->setToolTip(
      tr("Drag: the flips and the probe accuracy follow (type thresholds above %1)")
          .arg(kMinCountSliderMax));
  instancesSlider_ = new QSlider(Qt::Horizontal, box);
  instancesSlider_->setObjectName(QStringLiteral("pruneInstancesSlider"));
  instancesSlider_->setToolTip(
      tr("Drag through the corpus: the memory as it was after that many instances"));
  // Each slider and its box show one value.
  for (auto [slider, spin] :
       {std::pair{minCountSlider_, minCount_}, {instancesSlider_, instances_}}) {
    slider->setValue(spin->value());
    connect(slider, &QSlider::valueChanged, spin, &QSpinBox::setValue);
    connect(spin, &QSpinBox::valueChanged, slider, [slider](int v) {
      const QSignalBlocker block(slider);
      slider->setValue(v);
    });
    connect(spin, &QSpinBox::valueChanged, this, &MemoryBrowserWidget::pruneParameterMoved);
  }
  live_ = new QCheckBox(tr("Preview while &dragging"), box);
  live_->setObjectName(QStringLiteral("pruneLive"));
  live_->setChecked(true);
  live_->setToolTip(
      tr("Preview the pruning each time the threshold or the prefix stops moving, replacing a "
         "preview still running"));
  livePause_ = new QTimer(this);
  livePause_->setSingleShot(true);
  livePause_->setInterval(kLivePauseMs);
  connect(livePause_, &QTimer::timeout, this, [this] {
    if (snapshot_) requestPrune();
  });
  auto* minCountRow = new QHBoxLayout();
  minCountRow->addWidget(minCount_);
  minCountRow->addWidget(minCountSlider_, 1);
  auto* instancesRow = new QHBoxLayout();
  instancesRow->addWidget(instances_);
  instancesRow->addWidget(instancesSlider_, 1);
  form->addRow(tr("Strategy:"), strategy_);
  form->addRow(minCountLabel_, minCountRow);
  form->addRow(keepLabel_, keep_);
  form->addRow(seedLabel_, seed_);
  form->addRow(documentLabel_, document_);
  form->addRow(neighboursLabel_, neighbours_);
  form->addRow(mergeNeighboursLabel_, mergeNeighbours_);
  form->addRow(instancesLabel_, instancesRow);
  form->addRow(QString(), instancesPosition_);
  form->addRow(QString(), live_);
  prunePreview_ = new QPushButton(tr("&Preview Pruning"), box);
  prunePreview_->setObjectName(QStringLiteral("prunePreview"));
  prunePreview_->setToolTip(
      tr("Plan the pruning and preview it; Commit applies it as one undoable step"));
  auto* layout = static_cast<QVBoxLayout*>(box->layout());
  layout->addLayout(form);
  layout->addWidget(prunePreview_, 0, Qt::AlignRight);
  connect(strategy_, &QComboBox::currentIndexChanged, this,
          &MemoryBrowserWidget::updatePruneParameters);
  connect(prunePreview_, &QPushButton::clicked, this, &MemoryBrowserWidget::requestPrune);
  updatePruneParameters();
  return box;
}

void MemoryBrowserWidget::updatePruneParameters() {
  const StrategyParameters& p =
      kStrategies[static_cast<size_t>(std::max(0, strategy_->currentIndex()))];
  for (auto [label, field, on] :
       {std::tuple<QLabel*, QWidget*, bool>{minCountLabel_, minCount_, p.minCount},
        {keepLabel_, keep_, p.keep},
        {seedLabel_, seed_, p.keep},
        {documentLabel_, document_, p.document},
        {neighboursLabel_, neighbours_, p.neighbours},
        {mergeNeighboursLabel_, mergeNeighbours_, p.mergeNeighbours},
        {instancesLabel_, instances_, p.instances}}) {
    label->setVisible(on);
    field->setVisible(on);
  }
  minCountSlider_->setVisible(p.minCount);
  instancesSlider_->setVisible(p.instances);
  instancesPosition_->setVisible(p.instances);
  live_->setVisible(p.minCount || p.instances);
  showPrefixPosition();
}

void MemoryBrowserWidget::pruneParameterMoved() {
  if (live_->isChecked() && snapshot_ && !live_->isHidden()) livePause_->start();
}

void MemoryBrowserWidget::requestPrune() {
  PruneOptions o;
  o.strategy = kStrategies[static_cast<size_t>(std::max(0, strategy_->currentIndex()))].strategy;
  o.minCount = static_cast<uint32_t>(minCount_->value());
  o.keepFraction = keep_->value();
  o.seed = static_cast<uint64_t>(seed_->value());
  o.document = static_cast<uint32_t>(document_->value());
  o.neighbours = neighbours_->value();
  o.mergeNeighbours = mergeNeighbours_->value();
  o.instances = static_cast<uint64_t>(instances_->value());
  Q_EMIT prunePreviewRequested(o);
}

void MemoryBrowserWidget::showPrefixPosition() {
  if (instancesPosition_->isHidden()) return;  // shown with its strategy
  const size_t size = snapshot_ ? snapshot_->experiment->trainSize() : 0;
  const auto n = static_cast<size_t>(instances_->value());
  if (n == 0 || n >= size) {
    instancesPosition_->setText(tr("that is the whole memory"));
    return;
  }
  if (!snapshot_->experiment->hasProvenance()) {
    instancesPosition_->setText(tr("of %1, in the order of the instance base (no corpus positions)")
                                    .arg(QLocale().toString(static_cast<qulonglong>(size))));
    return;
  }
  instancesPosition_->setText(tr("of %1, up to %2")
                                  .arg(QLocale().toString(static_cast<qulonglong>(size)),
                                       sourceText(snapshot_->experiment->corpus(),
                                                  snapshot_->experiment->trainSource(n - 1))));
}

void MemoryBrowserWidget::showUnavailable(const QString& message) {
  unavailable_->setText(message);
  pages_->setCurrentWidget(unavailable_);
  snapshot_.reset();
  model_->setSnapshot(nullptr);
  clearChange();
}

void MemoryBrowserWidget::setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot) {
  snapshot_ = snapshot;
  model_->setSnapshot(std::move(snapshot));
  if (snapshot_) {
    table_->setColumnHidden(MemoryTableModel::kUsed,
                            snapshot_->usage.empty());  // IGTree: no census
    pages_->setCurrentIndex(1);
    document_->setMaximum(
        static_cast<int>(snapshot_->experiment->corpus().corpus->documentCount()) - 1);
    // Not train().size(): train() would copy every training instance out of a memory file, on
    // this thread.
    const auto instances =
        static_cast<int>(std::min<uint64_t>(snapshot_->experiment->trainSize(), uint64_t{1} << 30));
    {
      // A new memory is not a move of the user's: no live preview.
      const QSignalBlocker block(instances_), blockSlider(instancesSlider_);
      instances_->setMaximum(std::max(1, instances - 1));
      instancesSlider_->setRange(1, instances_->maximum());
      instancesSlider_->setPageStep(std::max(1, instances / 20));
      if (instances_->value() == 1) instances_->setValue(std::max(1, instances / 2));
      instancesSlider_->setValue(instances_->value());
    }
    showPrefixPosition();
  }
}

void MemoryBrowserWidget::setSummary(const QString& text) {
  summary_->setText(text);
  fitHeight(summary_);
}

bool MemoryBrowserWidget::eventFilter(QObject* watched, QEvent* event) {
  auto* label = qobject_cast<QLabel*>(watched);
  if (label && event->type() == QEvent::Resize) fitHeight(label);
  return QWidget::eventFilter(watched, event);
}

void MemoryBrowserWidget::fitHeight(QLabel* label) {
  // Not laid out yet, its width is not its own: it would ask for many lines at a small width.
  if (!label->testAttribute(Qt::WA_Resized)) return;
  label->setMinimumHeight(std::max(0, label->heightForWidth(label->width())));  // empty: -1
}

void MemoryBrowserWidget::setWeightsMode(bool keepTrained, bool switchable, const QString& why) {
  weights_->setCurrentIndex(weights_->findData(keepTrained));
  weights_->setEnabled(switchable);
  weights_->setToolTip(
      (keepTrained ? tr("Edits keep the feature weights of the trained memory: only what an edit "
                        "touches can change.")
                   : tr("Each edit recomputes the feature weights from the edited memory, so "
                        "deleting one vector can change predictions far from it.")) +
      (why.isEmpty() ? QString() : QStringLiteral("\n") + why));
}

void MemoryBrowserWidget::setProbeNote(const QString& note) {
  probeNote_->setText(note);
  fitHeight(probeNote_);
}

void MemoryBrowserWidget::showChange(std::shared_ptr<const MemoryChange> change) {
  const MemoryChange& c = *change;
  changeTitle_->setText(c.preview ? tr("<b>Preview:</b> %1").arg(c.title.toHtmlEscaped())
                                  : tr("<b>Done:</b> %1 — double-click a token to inspect it")
                                        .arg(c.title.toHtmlEscaped()));
  changeFigures_->setText(
      tr("%1 probe tokens change prediction. Stored vectors %2 → %3, "
         "instances %4 → %5; probe accuracy %6 → %7.")
          .arg(number(c.changed.size()), number(c.slotsBefore), number(c.slotsAfter),
               number(c.instancesBefore), number(c.instancesAfter),
               accuracy(c.correctBefore, c.probeTokens), accuracy(c.correctAfter, c.probeTokens)));
  fitHeight(changeTitle_);
  fitHeight(changeFigures_);
  changes_->setChange(std::move(change));
  updateButtons();
}

void MemoryBrowserWidget::clearChange() {
  changes_->setChange(nullptr);
  changeTitle_->setText(
      tr("Select stored vectors and press Delete, Relabel or Restore to preview "
         "what the edit changes."));
  changeFigures_->clear();
  fitHeight(changeTitle_);
  fitHeight(changeFigures_);
  updateButtons();
}

void MemoryBrowserWidget::setBusy(bool busy, bool cancellable, bool block) {
  busy_ = busy && block;
  progress_->setVisible(busy);
  progress_->setValue(0);
  cancel_->setVisible(busy);
  cancel_->setEnabled(cancellable);
  journal_->setEnabled(!busy_);
  updateButtons();
}

void MemoryBrowserWidget::showWork(const QString& message) {
  work_->setText(message);
  work_->setToolTip(message);  // a long one may not fit the row's two lines
}

void MemoryBrowserWidget::setListEditedOffered(bool offered) {
  listEdited_->setVisible(offered);
  updateButtons();
}

void MemoryBrowserWidget::showProgress(double fraction, const QString& stage) {
  progress_->setValue(static_cast<int>(fraction * 1000.0));
  if (!stage.isEmpty()) progress_->setToolTip(stage);
}

void MemoryBrowserWidget::setUndoStack(QUndoStack* stack) { journal_->setStack(stack); }

void MemoryBrowserWidget::setDeletedContexts(const QStringList& contexts) {
  deletedContexts_ = contexts;
  updateButtons();
}

void MemoryBrowserWidget::showRowCount() {
  const std::shared_ptr<const MemorySnapshot>& shown = model_->shownSnapshot();
  rowsLabel_->setText(tr("%1 of %2 vectors")
                          .arg(number(static_cast<uint64_t>(model_->rowCount())),
                               number(shown ? shown->vectorCount() : 0)));
}

QList<quint32> MemoryBrowserWidget::selectedVectors() const {
  // Rows of an older memory, shown while the new one's are picked, are not this memory's ids.
  if (model_->shownSnapshot() != snapshot_) return {};
  std::set<quint32> ids;  // sorted, once per row however many cells are selected
  for (const QModelIndex& index : table_->selectionModel()->selectedIndexes()) {
    ids.insert(model_->storedVector(index.row()));
  }
  return {ids.begin(), ids.end()};
}

void MemoryBrowserWidget::applyFilter() {
  const auto scope = static_cast<MemoryFilterScope>(scope_->currentData().toInt());
  const bool known = model_->setFilter(filter_->text(), scope);
  if (!known)
    rowsLabel_->setText(tr("“%1” is not in the vocabulary").arg(filter_->text().trimmed()));
}

void MemoryBrowserWidget::askRelabel() {
  const QList<quint32> ids = selectedVectors();
  if (ids.size() != 1 || !snapshot_) return;
  bool ok = false;
  const QString token = QInputDialog::getText(
      this, tr("Relabel Stored Vector"),
      tr("New target for every instance of “%1”:").arg(snapshot_->contextText(ids.front())),
      QLineEdit::Normal, QString(), &ok);
  if (ok && !token.trimmed().isEmpty()) Q_EMIT relabelRequested(ids.front(), token.trimmed());
}

void MemoryBrowserWidget::askRestore() {
  bool ok = false;
  const QString context = QInputDialog::getItem(
      this, tr("Restore Stored Vector"),
      tr("Context of the vector to restore (deleted ones are listed; any context of %1 tokens "
         "may be typed):")
          .arg(snapshot_ ? snapshot_->memory().width() : 0),
      deletedContexts_, 0, true, &ok);
  if (ok && !context.trimmed().isEmpty()) Q_EMIT restoreRequested(context.trimmed());
}

void MemoryBrowserWidget::askProbeSentences() {
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText(
      this, tr("Probe Set"),
      tr("Your own sentences, one per line: every edit is checked against them, and the tokens "
         "whose prediction it flips are listed. Leave empty to probe with the held-out test "
         "tokens."),
      probeSentences_, &ok);
  if (!ok) return;
  probeSentences_ = text.trimmed();
  Q_EMIT probeSentencesChosen(probeSentences_);
}

void MemoryBrowserWidget::updateButtons() {
  const int selected = table_->selectionModel() ? static_cast<int>(selectedVectors().size()) : 0;
  const bool idle = !busy_ && snapshot_;
  delete_->setEnabled(idle && selected > 0);
  relabel_->setEnabled(idle && selected == 1);
  restore_->setEnabled(idle);
  prunePreview_->setEnabled(idle);
  probeButton_->setEnabled(idle);
  listEdited_->setEnabled(idle);
  const bool previewing = changes_->change() && changes_->change()->preview;
  commit_->setEnabled(idle && previewing);
  discard_->setEnabled(!busy_ && previewing);
}

QByteArray MemoryBrowserWidget::saveState() const {
  QByteArray state;
  QDataStream out(&state, QIODevice::WriteOnly);
  out << columns_->saveState() << sideRows_->saveState();
  return state;
}

void MemoryBrowserWidget::restoreState(const QByteArray& state) {
  QDataStream in(state);
  QByteArray columns, sideRows;
  in >> columns >> sideRows;
  if (in.status() != QDataStream::Ok) return;
  columns_->restoreState(columns);
  sideRows_->restoreState(sideRows);
}

}  // namespace memlens::views
