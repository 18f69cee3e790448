#include "frequency_band_table_model.h"

#include <QLocale>

namespace memlens::views {

namespace {

QVariant sortKey(const FrequencyBand& band, int column) {
  const Metrics& m = band.metrics;
  switch (column) {
    case FrequencyBandTableModel::kBand:
      return static_cast<qulonglong>(band.minCount);  // bands sort by frequency, not by label
    case FrequencyBandTableModel::kTokens:
      return static_cast<qulonglong>(m.tokens);
    case FrequencyBandTableModel::kAccuracy:
      return m.accuracy();
    case FrequencyBandTableModel::kTop5:
      return m.top5();
    case FrequencyBandTableModel::kMrr:
      return m.meanReciprocalRank();
    case FrequencyBandTableModel::kBitsPerToken:
      return m.crossEntropyBits();
    case FrequencyBandTableModel::kPerplexity:
      return m.perplexity();
    default:
      return {};
  }
}

QString displayText(const FrequencyBand& band, int column) {
  if (column == FrequencyBandTableModel::kBand) return QString::fromStdString(band.label);
  const QLocale locale;
  if (column == FrequencyBandTableModel::kTokens) {
    return locale.toString(static_cast<qulonglong>(band.metrics.tokens));
  }
  // A rate over no tokens would read as a measured 0.
  if (band.metrics.tokens == 0) return QStringLiteral("—");
  const double value = sortKey(band, column).toDouble();
  switch (column) {
    case FrequencyBandTableModel::kBitsPerToken:
      return locale.toString(value, 'f', 3);
    case FrequencyBandTableModel::kPerplexity:
      // Unseen tokens reach perplexities in the millions; decimals there are noise.
      return locale.toString(value, 'f', value >= 1000.0 ? 0 : 2);
    default:
      return locale.toString(value, 'f', 4);
  }
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
    case kAccuracy:
      return tr("Accuracy");
    case kTop5:
      return tr("Top-5");
    case kMrr:
      return tr("MRR");
    case kBitsPerToken:
      return tr("Bits/token");
    case kPerplexity:
      return tr("Perplexity");
    default:
      return {};
  }
}

}  // namespace memlens::views
