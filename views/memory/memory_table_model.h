#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "memory/memory_snapshot.h"

namespace memlens::views {

class JobRunner;

// The Memory tab's table: one row per stored vector of a MemorySnapshot (id, context, targets,
// instance count, usage census, first source), computed on demand from the snapshot, so a million
// rows cost only the row-id list. A filter token and the order (sort() on the id or count column)
// pick and arrange the rows; anything else it only renders. Over more than kInlineVectors stored
// vectors a filter or an instance order is picked on a worker (a lookup in the snapshot's token
// index and a pass over its instance order, both made ahead on a worker when it is shown): the
// rows shown stay until the new ones replace them in one reset, picking() reports progress, a
// newer request or cancelPicking() stops it. Unfiltered rows in id order need no list; unfiltered
// rows by instances are the snapshot's kept order itself, read backwards for the fewest first, so
// such a sort is only a reset once that order is made.
class MemoryTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kId, kContext, kTargets, kInstances, kUsed, kSource, kColumnCount };
  enum class Role : int { StoredVector = Qt::UserRole };  // the row's vector id (quint32)

  // Up to this many stored vectors a filter (indexing the memory the first time) takes a few
  // milliseconds: on the calling thread.
  static constexpr uint32_t kInlineVectors = 200'000;

  explicit MemoryTableModel(QObject* parent = nullptr);

  // Replaces the shown snapshot (null shows nothing), keeping the filter and the order. One of
  // the memory shown with its usage census taken since keeps the rows (and the selection): no
  // reset.
  void setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot);
  const std::shared_ptr<const MemorySnapshot>& snapshot() const { return snapshot_; }
  // The snapshot the rows shown belong to: an older one while rows for snapshot() are picked.
  const std::shared_ptr<const MemorySnapshot>& shownSnapshot() const { return shown_; }
  // Shows only the vectors `token` picks in `scope` (all when empty). Returns false when the
  // token is not in the vocabulary (no rows then).
  bool setFilter(const QString& token, MemoryFilterScope scope);
  MemoryOrder order() const { return order_; }
  uint32_t storedVector(int row) const;
  // Whether rows are being picked on a worker (the ones shown are those asked for before).
  bool isPicking() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  // By id or by instance count; the other columns keep the current order.
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

 public Q_SLOTS:
  // Stops picking rows; those shown stay.
  void cancelPicking();

 Q_SIGNALS:
  // While rows are picked on a worker: how far it is.
  void picking(double fraction, const QString& stage);
  // Picking ended (the rows were shown, or it was cancelled or replaced).
  void pickingDone();

 private:
  bool refresh();
  void startPicking();
  void orderAhead();
  void onPicked(const Status& status);
  bool byInstances() const;
  // `idOrder` 1 or -1: every vector of `snapshot` by id, ascending or descending (`rows` unused).
  void show(std::shared_ptr<const MemorySnapshot> snapshot,
            std::shared_ptr<const std::vector<uint32_t>> rows, bool reversed = false,
            int idOrder = 0);

  std::shared_ptr<const MemorySnapshot> snapshot_;
  // The snapshot the rows index: snapshot_ unless a worker picks rows for a newer one.
  std::shared_ptr<const MemorySnapshot> shown_;
  std::shared_ptr<const std::vector<uint32_t>> rows_;
  bool reversed_ = false;  // rows_ read from the back (a kept order shown the other way)
  int idOrder_ = 0;        // 1/-1: the rows are every vector by id (no list), ascending/descending
  uint32_t idRows_ = 0;    // their count
  JobRunner* runner_;
  JobRunner* orderer_;  // makes a big snapshot's order and token index ahead of a sort or filter
  std::weak_ptr<const Experiment> ordering_;  // the memory the orderer was last started for
  struct Picked;
  std::shared_ptr<Picked> picked_;
  bool repick_ = false;  // asked again while a worker picked: start over when it ends
  QString filter_;
  MemoryFilterScope scope_ = MemoryFilterScope::kEither;
  MemoryOrder order_ = MemoryOrder::kIdAscending;
};

}  // namespace memlens::views
