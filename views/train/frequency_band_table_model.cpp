#include "train/frequency_band_table_model.h"

#include <QLocale>

#include "train/metric_columns.h"

namespace memlens::views {

namespace {

QVariant sortKey(const FrequencyBand& band, int column) {
  const Metrics& m = band.metrics;
  switch (column) {
    case FrequencyBandTableModel::kBand:
      return static_cast<qulonglong>(band.minCount);  // bands sort by frequency, not by label
    case FrequencyBandTableModel::kTokens:
      return static_cast<qulonglong>(m.tokens);
    default:
      return metricValue(m, MetricColumn(column - FrequencyBandTableModel::kAccuracy));
  }
}

QString displayText(const FrequencyBand& band, int column) {
  if (column == FrequencyBandTableModel::kBand) return QString::fromStdString(band.label);
  const QLocale locale;
  if (column == FrequencyBandTableModel::kTokens) {
    return locale.toString(static_cast<qulonglong>(band.metrics.tokens));
  }
  return metricText(band.metrics, MetricColumn(column - FrequencyBandTableModel::kAccuracy));
}

}  // namespace

FrequencyBandTableModel::FrequencyBandTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FrequencyBandTableModel::setRun(std::shared_ptr<const RunRecord> run) {
  beginResetModel();
  run_ = std::move(run);
  endResetModel();
}

int FrequencyBandTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !run_) return 0;
  return static_cast<int>(run_->bands.size());
}

int FrequencyBandTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant FrequencyBandTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const FrequencyBand& band = run_->bands[static_cast<size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return displayText(band, index.column());
    case Qt::ToolTipRole:
      if (index.column() != kBand) return {};
      if (band.maxCount == 0) return tr("Test tokens never seen as a training target");
      return tr("Test tokens seen as a training target %1 times")
          .arg(QString::fromStdString(band.label));
    case Qt::TextAlignmentRole:
      if (index.column() == kBand) return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case static_cast<int>(Role::SortKey):
      return sortKey(band, index.column());
    default:
      return {};
  }
}

QVariant FrequencyBandTableModel::headerData(int section, Qt::Orientation orientation,
                                             int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kBand:
      return tr("Train frequency");
    case kTokens:
      return tr("Tokens");
    default:
      return metricHeader(MetricColumn(section - kAccuracy));
  }
}

}  // namespace memlens::views
