#include "inspect/tree_path_model.h"

#include <QLocale>

namespace memlens::views {

TreePathModel::TreePathModel(QObject* parent) : QAbstractTableModel(parent) {}

void TreePathModel::setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot) {
  beginResetModel();
  snapshot_ = std::move(snapshot);
  endResetModel();
}

int TreePathModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !snapshot_ ? 0 : static_cast<int>(snapshot_->path.steps.size());
}

int TreePathModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant TreePathModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const TreeStep& s = snapshot_->path.steps[static_cast<size_t>(index.row())];
  const bool sortKey = role == static_cast<int>(Role::SortKey);
  if (role == Qt::TextAlignmentRole) {
    return index.column() >= kClasses || index.column() == kDepth
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant();
  }
  if (role != Qt::DisplayRole && !sortKey) return {};
  const QLocale locale;
  switch (index.column()) {
    case kDepth:
      return s.depth;
    case kFeature:
      // Positions as the neighbour table names them: t−1 is the nearest.
      if (!s.tested) return sortKey ? QVariant(-1) : QVariant(QStringLiteral("—"));
      return sortKey ? QVariant(s.feature)
                     : QVariant(QStringLiteral("t−%1 (f%2)")
                                    .arg(snapshot_->width() - s.feature)
                                    .arg(s.feature + 1));
    case kValue:
      return s.tested ? snapshot_->tokenText(s.value) : QStringLiteral("—");
    case kMatched:
      if (sortKey) return s.matched;
      // "no child": this node has no branch for the value (never seen here, or pruned by IGTree
      // compression because its branch would answer as this node's default does).
      return !s.tested ? tr("leaf") : s.matched ? tr("yes") : tr("no child");
    case kDefault:
      return snapshot_->tokenText(s.defaultClass);
    case kClasses:
      return sortKey ? QVariant(s.classes) : QVariant(locale.toString(s.classes));
    case kInstances:
      return sortKey ? QVariant(static_cast<qulonglong>(s.instances))
                     : QVariant(locale.toString(static_cast<qulonglong>(s.instances)));
    case kVectors:
      if (sortKey) return s.storedVectors;
      // IGTree's nodes do not count their stored vectors.
      return snapshot_->path.answer == TreePath::Answer::kRootMajority ||
                     snapshot_->path.answer == TreePath::Answer::kDeepestDefault
                 ? QStringLiteral("—")
                 : locale.toString(s.storedVectors);
    default:
      return {};
  }
}

QVariant TreePathModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole && section == kMatched)
    return tr(
        "Whether the node has a branch for the query's value. \"no child\": the value was never "
        "seen there, or IGTree compression pruned its branch because it would answer with "
        "this node's default anyway.");
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kDepth:
      return tr("Depth");
    case kFeature:
      return tr("Tests");
    case kValue:
      return tr("Query value");
    case kMatched:
      return tr("Branch for value");
    case kDefault:
      return tr("Node default");
    case kClasses:
      return tr("Classes");
    case kInstances:
      return tr("Instances");
    case kVectors:
      return tr("Vectors");
    default:
      return {};
  }
}

QString TreePathModel::answerText() const {
  if (!snapshot_ || snapshot_->path.steps.empty()) return {};
  const TreePath& path = snapshot_->path;
  switch (path.answer) {
    case TreePath::Answer::kRootMajority:
      return tr(
          "The first feature tested did not match, so the root's most frequent next token "
          "answers.");
    case TreePath::Answer::kDeepestDefault:
      return tr("Matched %n feature(s); the default of the deepest matched node answers.", nullptr,
                path.depth);
    case TreePath::Answer::kExactMatch:
      return tr("Every feature matched: the stored vector's own next-token counts answer.");
    case TreePath::Answer::kIb1Fallback:
      return tr("Matched %1 of %2 features, then IB1 over the %3 stored vectors below that node "
                "on the rest answers.")
          .arg(path.depth)
          .arg(snapshot_->width())
          .arg(QLocale().toString(path.steps.back().storedVectors));
    case TreePath::Answer::kNone:
      break;
  }
  return {};
}

}  // namespace memlens::views
