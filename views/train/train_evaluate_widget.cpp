#include "train/train_evaluate_widget.h"

#include <QDataStream>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "train/learning_curve_chart.h"
#include "train/metrics_widget.h"
#include "train/run_table_model.h"
#include "train/train_options_widget.h"

namespace memlens::views {

namespace {

QWidget* boxed(const QString& title, QWidget* content, QWidget* parent) {
  auto* box = new QGroupBox(title, parent);
  auto* layout = new QVBoxLayout(box);
  layout->addWidget(content);
  return box;
}

}  // namespace

TrainEvaluateWidget::TrainEvaluateWidget(QWidget* parent)
    : QWidget(parent),
      options_(new TrainOptionsWidget(this)),
      chart_(new LearningCurveChart(this)),
      metrics_(new MetricsWidget(this)),
      runs_(new RunTableModel(this)),
      runTable_(new QTableView(this)),
      rows_(new QSplitter(Qt::Vertical, this)),
      rightColumn_(new QSplitter(Qt::Vertical, this)) {
  auto* proxy = new QSortFilterProxyModel(this);
  proxy->setSourceModel(runs_);
  proxy->setSortRole(static_cast<int>(RunTableModel::Role::SortKey));
  runTable_->setObjectName(QStringLiteral("runTable"));
  runTable_->setModel(proxy);
  runTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
  runTable_->setSelectionMode(QAbstractItemView::SingleSelection);
  runTable_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  runTable_->setAlternatingRowColors(true);
  runTable_->verticalHeader()->hide();
  runTable_->verticalHeader()->setDefaultSectionSize(runTable_->fontMetrics().height() + 6);
  runTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  runTable_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  runTable_->setSortingEnabled(true);
  connect(runTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this, proxy](const QModelIndex& current) {
            if (current.isValid()) Q_EMIT runSelected(proxy->mapToSource(current).row());
          });

  // The form is taller than small screens; it scrolls rather than squeezing its fields.
  auto* optionsScroll = new QScrollArea(this);
  optionsScroll->setWidget(options_);
  optionsScroll->setWidgetResizable(true);
  optionsScroll->setFrameShape(QFrame::NoFrame);
  QWidget* optionsBox = boxed(tr("Options"), optionsScroll, this);
  optionsBox->setMinimumWidth(options_->sizeHint().width() + 40);
  optionsBox->setMaximumWidth(options_->sizeHint().width() + 120);

  rightColumn_->addWidget(chart_);
  rightColumn_->addWidget(boxed(tr("Metrics on test"), metrics_, this));
  rightColumn_->setChildrenCollapsible(false);
  rightColumn_->setStretchFactor(0, 3);
  rightColumn_->setStretchFactor(1, 2);
  rightColumn_->setSizes({3000, 2000});

  auto* top = new QWidget(this);
  auto* topLayout = new QHBoxLayout(top);
  topLayout->setContentsMargins(0, 0, 0, 0);
  topLayout->addWidget(optionsBox);
  topLayout->addWidget(rightColumn_, 1);

  // The runs table has many columns: it gets the whole width, below the rest.
  rows_->addWidget(top);
  rows_->addWidget(boxed(tr("Runs"), runTable_, this));
  rows_->setChildrenCollapsible(false);
  rows_->setStretchFactor(0, 4);
  rows_->setStretchFactor(1, 1);
  rows_->setSizes({4000, 1000});

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(rows_);
}

QByteArray TrainEvaluateWidget::saveState() const {
  QByteArray state;
  QDataStream out(&state, QIODevice::WriteOnly);
  out << rows_->saveState() << rightColumn_->saveState();
  return state;
}

void TrainEvaluateWidget::restoreState(const QByteArray& state) {
  QDataStream in(state);
  QByteArray rows;
  QByteArray rightColumn;
  in >> rows >> rightColumn;
  if (in.status() != QDataStream::Ok) return;  // nothing saved yet, or from another layout
  rows_->restoreState(rows);
  rightColumn_->restoreState(rightColumn);
}

}  // namespace memlens::views
