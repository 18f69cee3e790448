#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "memlens/corpus_stats.h"

namespace memlens::views {

// One row per document of a CorpusStats snapshot: path, bytes, lines, tokens, types.
// Renders the snapshot only; it never computes. Numbers are shown with the locale's digit
// grouping, so sort on Role::SortKey (raw numbers) rather than on the display text.
class DocumentTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kPath, kBytes, kLines, kTokens, kTypes, kColumnCount };
  enum class Role : int { SortKey = Qt::UserRole };

  explicit DocumentTableModel(QObject* parent = nullptr);

  // Replaces the shown snapshot (null shows nothing).
  void setSnapshot(std::shared_ptr<const CorpusStats> snapshot);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const CorpusStats> snapshot_;
};

}  // namespace memlens::views
