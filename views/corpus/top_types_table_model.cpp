#include "corpus/top_types_table_model.h"

#include <QLocale>

namespace memlens::views {

TopTypesTableModel::TopTypesTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TopTypesTableModel::setSnapshot(std::shared_ptr<const CorpusStats> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  endResetModel();
}

int TopTypesTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() || !snapshot_) return 0;
  return static_cast<int>(snapshot_->topTypes.size());
}

int TopTypesTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

double TopTypesTableModel::share(uint64_t count) const {
  return snapshot_->tokens == 0
             ? 0.0
             : static_cast<double>(count) / static_cast<double>(snapshot_->tokens);
}

QVariant TopTypesTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
    return {};
  }
  const auto& [type, count] = snapshot_->topTypes[static_cast<size_t>(index.row())];
  const int column = index.column();
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case kRank:
          return index.row() + 1;
        case kType:
          return QString::fromStdString(type);
        case kCount:
          return QLocale().toString(static_cast<qulonglong>(count));
        case kShare:
          return QLocale().toString(100.0 * share(count), 'f', 2) + QStringLiteral(" %");
        default:
          return {};
      }
    case Qt::TextAlignmentRole:
      if (column == kType) return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case static_cast<int>(Role::SortKey):
      switch (column) {
        case kRank:
          return index.row() + 1;
        case kType:
          return QString::fromStdString(type);
        case kCount:
          return static_cast<qulonglong>(count);
        case kShare:
          return share(count);
        default:
          return {};
      }
    default:
      return {};
  }
}

QVariant TopTypesTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kRank:
      return tr("Rank");
    case kType:
      return tr("Type");
    case kCount:
      return tr("Count");
    case kShare:
      return tr("Share");
    default:
      return {};
  }
}

}  // namespace memlens::views
