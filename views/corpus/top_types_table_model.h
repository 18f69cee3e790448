#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "memlens/corpus_stats.h"

namespace memlens::views {

// The most frequent types of a CorpusStats snapshot, in the snapshot's order: rank, type, count
// and share of all tokens. Renders the snapshot only; sort on Role::SortKey.
class TopTypesTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kRank, kType, kCount, kShare, kColumnCount };
  enum class Role : int { SortKey = Qt::UserRole };

  explicit TopTypesTableModel(QObject* parent = nullptr);

  // Replaces the shown snapshot (null shows nothing).
  void setSnapshot(std::shared_ptr<const CorpusStats> snapshot);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  double share(uint64_t count) const;

  std::shared_ptr<const CorpusStats> snapshot_;
};

}  // namespace memlens::views
