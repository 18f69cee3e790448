#pragma once

#include <QAbstractTableModel>
#include <memory>
#include <vector>

#include "memlens/run_record.h"

namespace memlens::views {

// The runs of a session, one row each in the order they finished: the options that shaped a run,
// the size of its memory and what it measured on test. Renders the records only; it never
// computes. Display text is rounded and digit-grouped, so sort on Role::SortKey (raw numbers).
class RunTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int {
    kNumber,
    kAlgorithm,
    kK,
    kWidth,
    kWeighting,
    kTrainInstances,
    kStoredVectors,
    kAccuracy,
    kTop5,
    kMrr,
    kBitsPerToken,
    kPerplexity,
    kTrainSeconds,
    kEvaluateSeconds,
    kLatency,  // mean µs of one memory lookup; the 99th percentile in the tooltip
    kColumnCount
  };
  enum class Role : int { SortKey = Qt::UserRole };

  explicit RunTableModel(QObject* parent = nullptr);

  // Appends a finished run as the last row.
  void append(std::shared_ptr<const RunRecord> run);
  // The run shown in `row`; null outside the table.
  std::shared_ptr<const RunRecord> run(int row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<std::shared_ptr<const RunRecord>> runs_;
};

}  // namespace memlens::views
