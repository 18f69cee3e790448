#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "compare/compare_snapshot.h"

namespace memlens::views {

// The test tokens on which two runs disagree about being right: first those run A got right and
// run B wrong, then the reverse, each in test order. Cells are made on demand from the snapshot
// (a run may have tens of thousands of flips); it never computes the comparison itself.
class FlipTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int {
    kChange,
    kPosition,
    kContext,
    kTrue,
    kPredictionA,
    kPredictionB,
    kColumnCount
  };
  // The flip's corpus token index (qulonglong), on every column.
  static constexpr int kSourceRole = Qt::UserRole;
  // Context tokens shown before the flipped token (fewer at the start of a line).
  static constexpr int kContextTokens = 6;

  explicit FlipTableModel(QObject* parent = nullptr);

  void setSnapshot(std::shared_ptr<const CompareSnapshot> snapshot);
  const std::shared_ptr<const CompareSnapshot>& snapshot() const { return snapshot_; }
  // The flip in `row`; null outside the table.
  const RunComparison::Flip* flip(int row) const;
  // Whether `row` is one that run A got right (and B wrong).
  bool isRightToWrong(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QString cellText(int row, int column) const;

  std::shared_ptr<const CompareSnapshot> snapshot_;
};

}  // namespace memlens::views
