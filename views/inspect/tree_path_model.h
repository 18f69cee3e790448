#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "inspect/inspect_snapshot.h"

namespace memlens::views {

// The walk of a tree classifier (IGTree, TRIBL2) down to its answer, one row per level reached:
// the feature tested there, the query's value, whether a child matched, and the node's default
// class, class count, instances and (TRIBL2) stored vectors. Empty for IB1 and the vector memory.
class TreePathModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int {
    kDepth,
    kFeature,
    kValue,
    kMatched,
    kDefault,
    kClasses,
    kInstances,
    kVectors,
    kColumnCount
  };
  enum class Role : int { SortKey = Qt::UserRole };

  explicit TreePathModel(QObject* parent = nullptr);

  void setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot);
  // One sentence on how the walk ended and what answered; empty without a tree.
  QString answerText() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const InspectSnapshot> snapshot_;
};

}  // namespace memlens::views
