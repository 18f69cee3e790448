#include "corpus/corpus_stats_widget.h"

#include <QDataStream>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "corpus/document_table_model.h"
#include "corpus/top_types_table_model.h"
#include "corpus/type_token_chart.h"

namespace memlens::views {

namespace {

QString number(uint64_t n) { return QLocale().toString(static_cast<qulonglong>(n)); }

QString percent(uint64_t part, uint64_t whole) {
  const double p =
      whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return QLocale().toString(p, 'f', 1) + QStringLiteral(" %");
}

// A read-only table sorted through a proxy on the model's SortKey role, since the display text of
// numbers carries digit-group separators and would sort as text.
QTableView* makeTable(QAbstractItemModel* model, int sortRole, QWidget* parent) {
  auto* proxy = new QSortFilterProxyModel(parent);
  proxy->setSourceModel(model);
  proxy->setSortRole(sortRole);
  auto* table = new QTableView(parent);
  table->setModel(proxy);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setAlternatingRowColors(true);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  // No sort column until the user picks one: the snapshot's own order is meaningful.
  table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  table->setSortingEnabled(true);
  return table;
}

}  // namespace

CorpusStatsWidget::CorpusStatsWidget(QWidget* parent)
    : QWidget(parent),
      documentModel_(new DocumentTableModel(this)),
      topTypesModel_(new TopTypesTableModel(this)),
      chart_(new TypeTokenChart(this)),
      columns_(new QSplitter(Qt::Horizontal, this)),
      rightColumn_(new QSplitter(Qt::Vertical, this)) {
  auto* summaryBox = new QGroupBox(tr("Summary"), this);
  auto* form = new QFormLayout(summaryBox);
  form->setLabelAlignment(Qt::AlignLeft);
  documents_ = addFigure(form, tr("Documents"), "documentsValue");
  bytes_ = addFigure(form, tr("Size"), "bytesValue");
  lines_ = addFigure(form, tr("Lines"), "linesValue");
  tokens_ = addFigure(form, tr("Tokens"), "tokensValue");
  types_ = addFigure(form, tr("Types"), "typesValue");
  hapaxes_ = addFigure(form, tr("Hapaxes"), "hapaxesValue");
  hapaxes_->setToolTip(tr("Types seen exactly once"));
  typeTokenRatio_ = addFigure(form, tr("Type/token ratio"), "typeTokenRatioValue");

  auto* topTypesBox = new QGroupBox(tr("Most frequent types"), this);
  auto* topTypesLayout = new QVBoxLayout(topTypesBox);
  QTableView* topTypesTable =
      makeTable(topTypesModel_, static_cast<int>(TopTypesTableModel::Role::SortKey), topTypesBox);
  topTypesTable->setObjectName(QStringLiteral("topTypesTable"));
  topTypesTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  topTypesTable->horizontalHeader()->setSectionResizeMode(TopTypesTableModel::kType,
                                                          QHeaderView::Stretch);
  topTypesLayout->addWidget(topTypesTable);

  auto* leftColumn = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(leftColumn);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->addWidget(summaryBox);
  leftLayout->addWidget(topTypesBox, 1);

  auto* documentsBox = new QGroupBox(tr("Documents"), this);
  auto* documentsLayout = new QVBoxLayout(documentsBox);
  QTableView* documentsTable =
      makeTable(documentModel_, static_cast<int>(DocumentTableModel::Role::SortKey), documentsBox);
  documentsTable->setObjectName(QStringLiteral("documentsTable"));
  documentsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  documentsTable->horizontalHeader()->setSectionResizeMode(DocumentTableModel::kPath,
                                                           QHeaderView::Stretch);
  documentsLayout->addWidget(documentsTable);

  rightColumn_->addWidget(chart_);
  rightColumn_->addWidget(documentsBox);
  // Most corpora have a handful of documents: the chart gets the room, the table what is left.
  rightColumn_->setStretchFactor(0, 3);
  rightColumn_->setStretchFactor(1, 1);
  rightColumn_->setSizes({3000, 1000});
  rightColumn_->setChildrenCollapsible(false);

  columns_->addWidget(leftColumn);
  columns_->addWidget(rightColumn_);
  columns_->setSizes({340, 860});
  columns_->setStretchFactor(0, 0);
  columns_->setStretchFactor(1, 1);
  columns_->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(columns_);
  setSnapshot(nullptr);
}

QLabel* CorpusStatsWidget::addFigure(QFormLayout* form, const QString& name,
                                     const char* objectName) {
  auto* value = new QLabel(this);
  value->setObjectName(QString::fromLatin1(objectName));
  value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  form->addRow(name, value);
  return value;
}

void CorpusStatsWidget::setSnapshot(const std::shared_ptr<const CorpusStats>& snapshot) {
  documentModel_->setSnapshot(snapshot);
  topTypesModel_->setSnapshot(snapshot);
  chart_->setSnapshot(snapshot);
  if (!snapshot) {
    const QString none = QStringLiteral("—");
    for (QLabel* label : {documents_, bytes_, lines_, tokens_, types_, hapaxes_, typeTokenRatio_}) {
      label->setText(none);
    }
    return;
  }
  const CorpusStats& s = *snapshot;
  documents_->setText(number(s.documents));
  bytes_->setText(QLocale().formattedDataSize(static_cast<qint64>(s.bytes)));
  bytes_->setToolTip(tr("%1 bytes").arg(number(s.bytes)));
  lines_->setText(tr("%1 (%2 empty)").arg(number(s.lines), number(s.emptyLines)));
  tokens_->setText(number(s.tokens));
  types_->setText(number(s.types));
  hapaxes_->setText(tr("%1 (%2 of types)").arg(number(s.hapaxes), percent(s.hapaxes, s.types)));
  const double ratio =
      s.tokens == 0 ? 0.0 : static_cast<double>(s.types) / static_cast<double>(s.tokens);
  typeTokenRatio_->setText(QLocale().toString(ratio, 'f', 4));
}

QByteArray CorpusStatsWidget::saveState() const {
  QByteArray state;
  QDataStream out(&state, QIODevice::WriteOnly);
  out << columns_->saveState() << rightColumn_->saveState();
  return state;
}

void CorpusStatsWidget::restoreState(const QByteArray& state) {
  QDataStream in(state);
  QByteArray columns;
  QByteArray rightColumn;
  in >> columns >> rightColumn;
  if (in.status() != QDataStream::Ok) return;  // nothing saved yet, or from another version
  columns_->restoreState(columns);
  rightColumn_->restoreState(rightColumn);
}

}  // namespace memlens::views
