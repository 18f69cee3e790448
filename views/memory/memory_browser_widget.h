#pragma once

#include <QList>
#include <QWidget>
#include <memory>

#include "memlens/pruning.h"
#include "memory/changed_token_model.h"
#include "memory/memory_snapshot.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTimer;
class QToolButton;
class QUndoStack;
class QUndoView;

namespace memlens::views {

class MemoryTableModel;

// The Memory tab: every stored vector of the current (edited) memory in a filterable table;
// Delete, Relabel… and Restore… on the selection ask for a preview, which lists exactly the
// probe tokens whose prediction would change; Commit makes it an undoable step. The journal
// (the undo stack) and the tokens the last step flipped (double-click one to inspect it) sit
// beside the table, with a Prune panel. It only renders and asks; the controller does the work.
class MemoryBrowserWidget : public QWidget {
  Q_OBJECT

 public:
  explicit MemoryBrowserWidget(QWidget* parent = nullptr);

  // Shows `message` instead of the memory (no memory yet, or one that cannot be edited).
  void showUnavailable(const QString& message);
  void setSnapshot(std::shared_ptr<const MemorySnapshot> snapshot);
  // The memory's size, edits and probe accuracy, above the table.
  void setSummary(const QString& text);
  // A preview (Commit and Discard enabled) or what the last step did.
  void showChange(std::shared_ptr<const MemoryChange> change);
  void clearChange();
  // While busy, the edit buttons are off (unless the job does not `block` them: work in the
  // background, with its progress and Cancel shown); Cancel only when the job may be cancelled.
  void setBusy(bool busy, bool cancellable, bool block = true);
  void showWork(const QString& message);
  // Offers List Edited Memory: the table shows the memory before the latest edits.
  void setListEditedOffered(bool offered);
  void showProgress(double fraction, const QString& stage);
  void setUndoStack(QUndoStack* stack);
  // Contexts of the vectors deleted by edits in effect, offered by Restore….
  void setDeletedContexts(const QStringList& contexts);
  // What the probe set is, stated next to the change list with the Probe Set… button.
  void setProbeNote(const QString& note);
  // Whether edits keep the trained feature weights or recompute them, and whether the user may
  // switch now; `why` says why not (a tooltip).
  void setWeightsMode(bool keepTrained, bool switchable, const QString& why);

  MemoryTableModel* model() const { return model_; }
  // Stored vector ids of the selected rows.
  QList<quint32> selectedVectors() const;

  QByteArray saveState() const;
  void restoreState(const QByteArray& state);

 protected:
  // Keeps the wrapped labels' minimum heights at their text's height for their width.
  bool eventFilter(QObject* watched, QEvent* event) override;

 Q_SIGNALS:
  void deleteRequested(const QList<quint32>& vectors);
  void relabelRequested(quint32 vector, const QString& token);
  void restoreRequested(const QString& context);
  // A new request replaces a preview still running (live previews while a slider is dragged).
  void prunePreviewRequested(const memlens::PruneOptions& options);
  void commitRequested();
  void discardRequested();
  void cancelRequested();
  void inspectRequested(int probeIndex);
  // The user's own sentences to probe with from now on (one per line); empty: the held-out tokens.
  void probeSentencesChosen(const QString& sentences);
  void weightsModeChosen(bool keepTrained);
  void listEditedRequested();

 private:
  QWidget* createTablePane();
  QWidget* createSidePane();
  QWidget* createPrunePanel();
  void applyFilter();
  void showRowCount();
  void askRelabel();
  void askRestore();
  void askProbeSentences();
  void requestPrune();
  void updateButtons();
  // A wrapped label's minimum is one line: the pane would squeeze its other lines under the
  // widget below it. Its height for its width, as its minimum, keeps them.
  static void fitHeight(QLabel* label);
  void updatePruneParameters();
  // A pruning parameter moved: with live previews on, preview it once the user pauses.
  void pruneParameterMoved();
  // Where the prefix the Prune panel would keep ends in the corpus.
  void showPrefixPosition();

  std::shared_ptr<const MemorySnapshot> snapshot_;
  QStringList deletedContexts_;
  bool busy_ = false;

  QStackedWidget* pages_;
  QLabel* unavailable_;
  QLabel* summary_;
  QComboBox* weights_;
  QLineEdit* filter_;
  QComboBox* scope_;
  QLabel* rowsLabel_;
  QToolButton* stopPicking_;
  MemoryTableModel* model_;
  QTableView* table_;
  QPushButton* delete_;
  QPushButton* relabel_;
  QPushButton* restore_;

  QLabel* changeTitle_;
  QLabel* changeFigures_;
  QLabel* probeNote_;
  QPushButton* probeButton_;
  QString probeSentences_;  // the last ones asked for, offered again
  ChangedTokenModel* changes_;
  QTableView* changeTable_;
  QPushButton* commit_;
  QPushButton* discard_;
  QProgressBar* progress_;
  QLabel* work_;
  QToolButton* cancel_;
  QPushButton* listEdited_;
  QUndoView* journal_;

  QComboBox* strategy_;
  QLabel* minCountLabel_;
  QSpinBox* minCount_;
  QLabel* keepLabel_;
  QDoubleSpinBox* keep_;
  QLabel* seedLabel_;
  QSpinBox* seed_;
  QLabel* documentLabel_;
  QSpinBox* document_;
  QLabel* neighboursLabel_;
  QSpinBox* neighbours_;
  QLabel* mergeNeighboursLabel_;
  QSpinBox* mergeNeighbours_;
  QLabel* instancesLabel_;
  QSpinBox* instances_;
  QLabel* instancesPosition_;
  // Dragged, they preview the pruning as they move (after a short pause) when live_ is on.
  QSlider* minCountSlider_;
  QSlider* instancesSlider_;
  QCheckBox* live_;
  QTimer* livePause_;
  QPushButton* prunePreview_;

  QSplitter* columns_;
  QSplitter* sideRows_;
};

}  // namespace memlens::views

Q_DECLARE_METATYPE(memlens::PruneOptions)
