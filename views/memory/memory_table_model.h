#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "memory/memory_snapshot.h"

namespace memlens::views {

// The Memory tab's table: one row per stored vector of a MemorySnapshot (id, context, targets,
// instance count, usage census, first source), computed on demand from the snapshot, so a million
// rows cost only the row-id list. A filter token and the order (sort() on the id or count column)
// pick and arrange the rows; anything else it only renders.
class MemoryTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kId, kContext, kTargets, kInstances, kUsed, kSource, kColumnCount };
  enum class Role : int { StoredVector = Qt::UserRole };  // the row's vector id (quint32)

  explicit MemoryTableModel(QObject* parent = nullptr);

  // Replaces the shown snapshot (null shows nothing), keeping the filter and the order.
  void setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot);
  const std::shared_ptr<const MemorySnapshot>& snapshot() const { return snapshot_; }
  // Shows only the vectors `token` picks in `scope` (all when empty). Returns false when the
  // token is not in the vocabulary (no rows then).
  bool setFilter(const QString& token, MemoryFilterScope scope);
  MemoryOrder order() const { return order_; }
  uint32_t storedVector(int row) const { return (*rows_)[static_cast<size_t>(row)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  // By id or by instance count; the other columns keep the current order.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 private:
  bool refresh();

  std::shared_ptr<const MemorySnapshot> snapshot_;
  std::shared_ptr<const std::vector<uint32_t>> rows_;
  QString filter_;
  MemoryFilterScope scope_ = MemoryFilterScope::kEither;
  MemoryOrder order_ = MemoryOrder::kIdAscending;
};

}  // namespace memlens::views
