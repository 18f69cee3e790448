#include "compare/compare_widget.h"

#include <QComboBox>
#include <QDataStream>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

#include "compare/flip_table_model.h"
#include "compare/run_size_chart.h"

namespace memlens::views {

namespace {

QString describeRun(const ComparedRun& run) {
  const RunRecord& r = *run.record;
  return CompareWidget::tr("Run %1: %2, width %3, accuracy %4")
      .arg(run.number)
      .arg(QString::fromLatin1(algorithmName(r.options.classifier.algorithm)))
      .arg(r.options.window.width)
      .arg(QLocale().toString(r.test.accuracy(), 'f', 4));
}

}  // namespace

CompareWidget::CompareWidget(QWidget* parent)
    : QWidget(parent),
      chart_(new RunSizeChart(this)),
      sizeBox_(new QComboBox(this)),
      runA_(new QComboBox(this)),
      runB_(new QComboBox(this)),
      counts_(new QLabel(this)),
      flips_(new FlipTableModel(this)),
      flipTable_(new QTableView(this)),
      rows_(new QSplitter(Qt::Vertical, this)) {
  chart_->setObjectName(QStringLiteral("memorySizeChart"));
  sizeBox_->setObjectName(QStringLiteral("memorySizeBox"));
  sizeBox_->addItem(tr("Stored vectors"));
  sizeBox_->addItem(tr("Training instances"));
  sizeBox_->setToolTip(tr("What the memory size on the x axis counts"));
  connect(sizeBox_, &QComboBox::currentIndexChanged, this, [this](int index) {
    chart_->setSize(index == 0 ? RunSizeChart::Size::kStoredVectors
                               : RunSizeChart::Size::kTrainInstances);
  });
  auto* chartBox = new QGroupBox(tr("Runs by memory size"), this);
  auto* chartLayout = new QVBoxLayout(chartBox);
  auto* sizeRow = new QHBoxLayout;
  auto* sizeLabel = new QLabel(tr("Memory &size:"), chartBox);
  sizeLabel->setBuddy(sizeBox_);
  sizeRow->addWidget(sizeLabel);
  sizeRow->addWidget(sizeBox_);
  sizeRow->addStretch(1);
  chartLayout->addLayout(sizeRow);
  chartLayout->addWidget(chart_, 1);

  runA_->setObjectName(QStringLiteral("compareRunA"));
  runB_->setObjectName(QStringLiteral("compareRunB"));
  for (QComboBox* box : {runA_, runB_}) {
    box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(box, &QComboBox::currentIndexChanged, this, &CompareWidget::requestComparison);
  }
  counts_->setObjectName(QStringLiteral("compareCounts"));
  counts_->setWordWrap(true);
  counts_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  flipTable_->setObjectName(QStringLiteral("flipTable"));
  flipTable_->setModel(flips_);
  flipTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  flipTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  flipTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  flipTable_->setAlternatingRowColors(true);
  flipTable_->setWordWrap(false);
  flipTable_->verticalHeader()->hide();
  flipTable_->verticalHeader()->setDefaultSectionSize(flipTable_->fontMetrics().height() + 6);
  // Fixed widths: sizing to contents would read every one of tens of thousands of rows.
  QHeaderView* header = flipTable_->horizontalHeader();
  const int em = flipTable_->fontMetrics().horizontalAdvance(QLatin1Char('M'));
  const std::pair<int, int> widths[] = {
      {FlipTableModel::kChange, 10},     {FlipTableModel::kPosition, 8},
      {FlipTableModel::kContext, 24},    {FlipTableModel::kTrue, 7},
      {FlipTableModel::kPredictionA, 7}, {FlipTableModel::kPredictionB, 7}};
  for (const auto& [column, width] : widths) {
    // The change column's cells are longer than its title.
    const QString title = column == FlipTableModel::kChange
                              ? tr("A wrong, B right")
                              : flips_->headerData(column, Qt::Horizontal).toString();
    header->resizeSection(
        column, std::max(width * em, header->fontMetrics().horizontalAdvance(title) + 2 * em));
  }
  header->setStretchLastSection(true);
  connect(flipTable_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (const RunComparison::Flip* f = flips_->flip(index.row())) Q_EMIT flipActivated(f->source);
  });

  auto* flipBox = new QGroupBox(tr("Token by token"), this);
  auto* flipLayout = new QVBoxLayout(flipBox);
  auto* pick = new QHBoxLayout;
  auto* aLabel = new QLabel(tr("Run &A:"), flipBox);
  aLabel->setBuddy(runA_);
  auto* bLabel = new QLabel(tr("Run &B:"), flipBox);
  bLabel->setBuddy(runB_);
  pick->addWidget(aLabel);
  pick->addWidget(runA_);
  pick->addSpacing(12);
  pick->addWidget(bLabel);
  pick->addWidget(runB_);
  pick->addStretch(1);
  flipLayout->addLayout(pick);
  flipLayout->addWidget(counts_);
  flipLayout->addWidget(flipTable_, 1);

  rows_->addWidget(chartBox);
  rows_->addWidget(flipBox);
  rows_->setChildrenCollapsible(false);
  rows_->setSizes({3000, 3000});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(rows_);
  setRuns({});
}

void CompareWidget::setRuns(const std::vector<ComparedRun>& runs) {
  std::vector<std::shared_ptr<const RunRecord>> records;
  for (const ComparedRun& run : runs) records.push_back(run.record);
  chart_->setRuns(std::move(records));
  {
    const QSignalBlocker blockA(runA_), blockB(runB_);
    runA_->clear();
    runB_->clear();
    for (const ComparedRun& run : runs) {
      runA_->addItem(describeRun(run));
      runB_->addItem(describeRun(run));
    }
    const int n = static_cast<int>(runs.size());
    runA_->setCurrentIndex(n >= 2 ? n - 2 : n - 1);
    runB_->setCurrentIndex(n - 1);
  }
  runA_->setEnabled(runs.size() >= 2);
  runB_->setEnabled(runs.size() >= 2);
  if (runs.size() < 2) {
    setSnapshot(nullptr,
                tr("Train at least two memories on the Train & Evaluate tab to compare them "
                   "token by token."));
    return;
  }
  requestComparison();
}

void CompareWidget::requestComparison() {
  if (runA_->currentIndex() >= 0 && runB_->currentIndex() >= 0) {
    Q_EMIT comparisonRequested(runA_->currentIndex(), runB_->currentIndex());
  }
}

void CompareWidget::setSnapshot(std::shared_ptr<const CompareSnapshot> snapshot,
                                const QString& message) {
  flips_->setSnapshot(snapshot);
  if (!snapshot) {
    counts_->setText(message);
    return;
  }
  const RunComparison& c = snapshot->comparison;
  const QLocale locale;
  auto n = [&locale](uint64_t v) { return locale.toString(static_cast<qulonglong>(v)); };
  counts_->setText(
      tr("<b>%1</b> shared test tokens: <b>%2</b> both right, <b>%3</b> both wrong, "
         "<span style='color:#b00020'><b>%4</b> right → wrong</span> (A right, B wrong), "
         "<span style='color:#1a7f37'><b>%5</b> wrong → right</span> (A wrong, B right). "
         "Double-click a row to inspect it.")
          .arg(n(c.shared), n(c.bothRight), n(c.bothWrong), n(c.rightToWrong.size()),
               n(c.wrongToRight.size())));
}

QByteArray CompareWidget::saveState() const { return rows_->saveState(); }

void CompareWidget::restoreState(const QByteArray& state) { rows_->restoreState(state); }

}  // namespace memlens::views
