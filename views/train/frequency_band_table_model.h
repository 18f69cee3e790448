#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "memlens/run_record.h"

namespace memlens::views {

// A run's test metrics broken down by how often the true token was a training target, one row
// per frequency band ("unseen", "1", "2-10", …). Renders the record only; sort on Role::SortKey.
class FrequencyBandTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int {
    kBand,
    kTokens,
    kAccuracy,
    kTop5,
    kMrr,
    kBitsPerToken,
    kPerplexity,
    kColumnCount
  };
  enum class Role : int { SortKey = Qt::UserRole };

  explicit FrequencyBandTableModel(QObject* parent = nullptr);

  // Replaces the shown run (null shows nothing).
  void setRun(std::shared_ptr<const RunRecord> run);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const RunRecord> run_;
};

}  // namespace memlens::views
