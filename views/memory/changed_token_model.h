#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <memory>
#include <vector>

#include "memlens/edit_session.h"
#include "memlens/edited_memory.h"
#include "memory/memory_snapshot.h"

namespace memlens::views {

// What an edit does (previewed) or did (committed, undone, redone): the probe tokens whose
// prediction changes and the memory's size and probe accuracy before and after.
struct MemoryChange : ProbeChange {
  QString title;  // "Delete #12 (the LORD said unto)", "Undo: …"
  bool preview = false;
  // Any memory of the edit's experiment line: they share the corpus, vocabulary and test set.
  std::shared_ptr<const MemorySnapshot> memory;
  // The probe set the tokens index: a prefix of the test part (probe index = test index), or
  // with `sentences` the user's own sentences (sources are their line numbers, shown as "line N").
  std::shared_ptr<const InstanceSet> probe;
  bool sentences = false;
  uint64_t probeTokens = 0;
};

// One row per changed probe token of a MemoryChange: its probe index, corpus position (or
// sentence), true token, the prediction before and after, and its context (last: it takes the
// spare width). Renders the change only.
class ChangedTokenModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column : int { kToken, kSource, kTruth, kBefore, kAfter, kContext, kColumnCount };
  enum class Role : int { ProbeIndex = Qt::UserRole };  // int

  explicit ChangedTokenModel(QObject* parent = nullptr);

  void setChange(std::shared_ptr<const MemoryChange> change);  // null shows nothing
  const std::shared_ptr<const MemoryChange>& change() const { return change_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QString prediction(uint32_t classId) const;

  std::shared_ptr<const MemoryChange> change_;
};

}  // namespace memlens::views
