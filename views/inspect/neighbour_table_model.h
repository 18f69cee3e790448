#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "inspect/inspect_snapshot.h"

namespace memlens::views {

// The neighbours of one inspected context, nearest first: distance bucket (the vector memory's
// rank), stored vector id, one column per context position holding the neighbour's token there
// (tinted by whether it matches the query; its contribution to the distance in the tooltip),
// distance, vote weight (α for the vector memory), class counts and instance count. For an
// IGTree answer the rows are the stored vectors under the answering node, ranked by instances;
// the distance and weight columns then hold the matched positions and the share of the node.
// Renders a snapshot; never computes.
class NeighbourTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  // Fixed columns; the context positions sit between kVector and the tail (kDistance...).
  enum Column : int { kBucket, kVector, kFirstPosition };
  enum Tail : int { kDistance, kWeight, kCounts, kInstances, kTailCount };
  enum class Role : int {
    SortKey = Qt::UserRole,  // raw number, or the token text of a position column
    Match,                   // bool, position columns
    Contribution,            // double, position columns
  };

  explicit NeighbourTableModel(QObject* parent = nullptr);

  void setSnapshot(std::shared_ptr<const InspectSnapshot> snapshot);
  const InspectSnapshot* snapshot() const { return snapshot_.get(); }
  // For an IGTree answer, which of the node's stored vectors the rows are and what they agree
  // on ("Showing 50 of 1,234 stored vectors (7,136 instances) …"); for a vote whose buckets
  // were too large to list whole, how many of their neighbours the rows are; empty otherwise.
  QString nodeEvidenceText() const;

  // The column of context position `position` and of a tail column.
  int positionColumn(int position) const { return kFirstPosition + position; }
  int tailColumn(Tail tail) const { return kFirstPosition + width() + tail; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  int width() const { return snapshot_ ? snapshot_->width() : 0; }
  QVariant positionData(const InspectNeighbour& n, int position, int role) const;
  QVariant tailData(const InspectNeighbour& n, int tail, int role) const;

  std::shared_ptr<const InspectSnapshot> snapshot_;
};

}  // namespace memlens::views
