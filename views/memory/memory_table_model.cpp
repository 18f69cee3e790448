#include "memory/memory_table_model.h"

#include <QLocale>

namespace memlens::views {

namespace {
constexpr size_t kTargetsShown = 3;
constexpr size_t kTargetsInTooltip = 30;
}  // namespace

MemoryTableModel::MemoryTableModel(QObject* parent)
    : QAbstractTableModel(parent), rows_(std::make_shared<const std::vector<uint32_t>>()) {}

void MemoryTableModel::setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot) {
  snapshot_ = std::move(snapshot);
  refresh();
}

bool MemoryTableModel::setFilter(const QString& token, MemoryFilterScope scope) {
  filter_ = token;
  scope_ = scope;
  return refresh();
}

void MemoryTableModel::sort(int column, Qt::SortOrder order) {
  const bool ascending = order == Qt::AscendingOrder;
  if (column == kId) {
    order_ = ascending ? MemoryOrder::kIdAscending : MemoryOrder::kIdDescending;
  } else if (column == kInstances) {
    order_ = ascending ? MemoryOrder::kFewestInstances : MemoryOrder::kMostInstances;
  } else {
    return;
  }
  refresh();
}

bool MemoryTableModel::refresh() {
  bool known = true;
  beginResetModel();
  rows_ = snapshot_ ? std::make_shared<const std::vector<uint32_t>>(
                          snapshot_->select(filter_, scope_, order_, &known))
                    : std::make_shared<const std::vector<uint32_t>>();
  endResetModel();
  return known;
}

int MemoryTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return static_cast<int>(rows_->size());
}

int MemoryTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant MemoryTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const uint32_t id = storedVector(index.row());
  const MemorySnapshot& s = *snapshot_;
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kId:
          return QStringLiteral("#%1").arg(id);
        case kContext:
          return s.contextText(id);
        case kTargets:
          return s.targetsText(id, kTargetsShown);
        case kInstances:
          return QLocale().toString(s.instanceCounts[id]);
        case kUsed:
          return s.usage.empty() ? QStringLiteral("—")
                                 : QLocale().toString(s.usage[id].neighbourCount);
        case kSource:
          return s.sourceText(s.firstSources[id]);
        default:
          return {};
      }
    case Qt::ToolTipRole:
      if (column == kTargets) return s.targetsText(id, kTargetsInTooltip);
      if (column == kUsed && !s.usage.empty()) {
        return tr("A neighbour in %1 of the predictions for the first %2 validation tokens; credit "
                  "%3 "
                  "(its vote share for the true token minus its best share for another, summed)")
            .arg(QLocale().toString(s.usage[id].neighbourCount),
                 QLocale().toString(static_cast<qulonglong>(s.usageTokens)),
                 QLocale().toString(s.usage[id].credit, 'f', 2));
      }
      if (column == kUsed) return tr("IGTree answers from tree nodes: no neighbours to count");
      return {};
    case Qt::TextAlignmentRole:
      if (column == kId || column == kInstances || column == kUsed) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case static_cast<int>(Role::StoredVector):
      return id;
    default:
      return {};
  }
}

QVariant MemoryTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kId:
      return tr("Vector");
    case kContext:
      return tr("Context");
    case kTargets:
      return tr("Targets");
    case kInstances:
      return tr("Instances");
    case kUsed:
      return tr("Used");
    case kSource:
      return tr("First source");
    default:
      return {};
  }
}

}  // namespace memlens::views
