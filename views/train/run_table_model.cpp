#include "train/run_table_model.h"

#include <QLocale>

#include "memlens/option_names.h"
#include "train/metric_columns.h"

namespace memlens::views {

namespace {

// The raw value behind a cell: what it sorts by, and what its display text rounds.
QVariant sortKey(const RunRecord& r, int row, int column) {
  switch (column) {
    case RunTableModel::kNumber:
      return row + 1;
    case RunTableModel::kAlgorithm:
      return QString::fromLatin1(optionLabel(r.options.classifier.algorithm));
    case RunTableModel::kK:
      return r.options.classifier.k;
    case RunTableModel::kWidth:
      return r.options.window.width;
    case RunTableModel::kWeighting:
      return QString::fromLatin1(optionLabel(r.options.classifier.weighting));
    case RunTableModel::kTrainInstances:
      return static_cast<qulonglong>(r.trainInstances);
    case RunTableModel::kStoredVectors:
      return static_cast<qulonglong>(r.storedVectors);
    case RunTableModel::kAccuracy:
    case RunTableModel::kTop5:
    case RunTableModel::kMrr:
    case RunTableModel::kBitsPerToken:
    case RunTableModel::kPerplexity:
      return metricValue(r.test, MetricColumn(column - RunTableModel::kAccuracy));
    case RunTableModel::kTrainSeconds:
      return r.trainSeconds;
    case RunTableModel::kEvaluateSeconds:
      return r.evaluateSeconds;
    case RunTableModel::kLatency:
      return r.latencyMeanMicros;
    default:
      return {};
  }
}

QString displayText(const RunRecord& r, int row, int column) {
  const QLocale locale;
  const QVariant key = sortKey(r, row, column);
  switch (column) {
    case RunTableModel::kAlgorithm:
    case RunTableModel::kWeighting:
      return key.toString();
    case RunTableModel::kNumber:
    case RunTableModel::kK:
    case RunTableModel::kWidth:
    case RunTableModel::kTrainInstances:
    case RunTableModel::kStoredVectors:
      return locale.toString(key.toULongLong());
    case RunTableModel::kAccuracy:
    case RunTableModel::kTop5:
    case RunTableModel::kMrr:
    case RunTableModel::kBitsPerToken:
    case RunTableModel::kPerplexity:
      return metricText(r.test, MetricColumn(column - RunTableModel::kAccuracy));
    case RunTableModel::kTrainSeconds:
    case RunTableModel::kEvaluateSeconds:
      return locale.toString(key.toDouble(), 'f', 2);
    case RunTableModel::kLatency:
      // A run cancelled before its first test token timed no lookup.
      if (r.test.tokens == 0) return QStringLiteral("—");
      return locale.toString(key.toDouble(), 'f', 1);
    default:
      return {};
  }
}

QString describe(const RunRecord& r) {
  const ClassifierOptions& c = r.options.classifier;
  return RunTableModel::tr(
             "%1, k = %2, %3 weighting, %4 distance weighting, width %5\n"
             "%6 validation and %7 test tokens; smoothing: %8")
      .arg(QString::fromLatin1(optionLabel(c.algorithm)))
      .arg(c.k)
      .arg(QString::fromLatin1(optionLabel(c.weighting)),
           QString::fromLatin1(optionLabel(c.distanceWeighting)))
      .arg(r.options.window.width)
      .arg(QLocale().toString(static_cast<qulonglong>(r.validationInstances)),
           QLocale().toString(static_cast<qulonglong>(r.testInstances)),
           QString::fromStdString(r.smoothing));
}

}  // namespace

RunTableModel::RunTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunTableModel::append(std::shared_ptr<const RunRecord> run) {
  if (!run) return;
  const int row = static_cast<int>(runs_.size());
  beginInsertRows({}, row, row);
  runs_.push_back(std::move(run));
  endInsertRows();
}

std::shared_ptr<const RunRecord> RunTableModel::run(int row) const {
  if (row < 0 || row >= rowCount()) return nullptr;
  return runs_[static_cast<size_t>(row)];
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const RunRecord& r = *runs_[static_cast<size_t>(index.row())];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      return displayText(r, index.row(), column);
    case Qt::ToolTipRole:
      if (column == kLatency) {
        return tr("Memory lookup per test token: mean %1 µs, 99th percentile %2 µs")
            .arg(QLocale().toString(r.latencyMeanMicros, 'f', 1),
                 QLocale().toString(r.latencyP99Micros, 'f', 1));
      }
      return describe(r);
    case Qt::TextAlignmentRole:
      if (column == kAlgorithm || column == kWeighting) {
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      }
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case static_cast<int>(Role::SortKey):
      return sortKey(r, index.row(), column);
    default:
      return {};
  }
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kStoredVectors:
        return tr(
            "Distinct contexts kept in memory (identical training contexts share one vector)");
      case kTop5:
        return tr("Share of test tokens among the five most probable predictions");
      case kMrr:
        return tr("Mean reciprocal rank of the true token");
      case kBitsPerToken:
        return tr("Cross-entropy of the smoothed distribution on test, in bits per token");
      case kPerplexity:
        return tr("2 to the power of bits per token: lower is better");
      case kEvaluateSeconds:
        return tr("Wall-clock seconds to evaluate every test token (in parallel)");
      case kLatency:
        return tr(
            "Mean microseconds of one memory lookup per test token, measured while "
            "evaluating in parallel (the cells' tooltips give the 99th percentile)");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case kNumber:
      return tr("#");
    case kAlgorithm:
      return tr("Algorithm");
    case kK:
      return tr("k");
    case kWidth:
      return tr("Width");
    case kWeighting:
      return tr("Weighting");
    case kTrainInstances:
      return tr("Train instances");
    case kStoredVectors:
      return tr("Stored vectors");
    case kAccuracy:
    case kTop5:
    case kMrr:
    case kBitsPerToken:
    case kPerplexity:
      return metricHeader(MetricColumn(section - kAccuracy));
    case kTrainSeconds:
      return tr("Train s");
    case kEvaluateSeconds:
      return tr("Eval s");
    case kLatency:
      return tr("Latency µs/token");
    default:
      return {};
  }
}

}  // namespace memlens::views
