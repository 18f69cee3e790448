#pragma once

#include <QObject>
#include <QString>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "memlens/edit_session.h"
#include "memlens/experiment.h"
#include "memlens/project_journal.h"
#include "memlens/pruning.h"
#include "memlens/status.h"
#include "memory/memory_snapshot.h"

class QAction;
class QUndoStack;

namespace memlens::views {
class JobRunner;
class MemoryBrowserWidget;
}  // namespace memlens::views

namespace memlens::gui {

class ProjectFile;

// Edits the latest trained memory for the Memory tab: an EditSession over it, with
// the first kProbeTokens test tokens as the probe set (a prefix, so probe index = test index) or
// the user's own sentences (setProbeSentences; kept for later memories of the session).
// Every preview, commit, undo and redo runs on the controller's own job runner (a preview
// retrains the memory: about 2 s on the KJV with IGTree); the EditSession is only touched by
// that worker. Each committed edit is a command on the undo stack; a step shows the probe tokens
// it flipped as soon as it is taken (stepShown()); then, once no step is queued, a job lists the
// edited memory (linear in its size: the incremental engine keeps no InstanceBase of its own;
// above kListEditedUpTo instances only when the user asks, with List Edited Memory),
// the tab gets its snapshot and memoryChanged() hands the edited memory
// (Experiment::withMemory) to whoever inspects it. Where a count-threshold stop masks the
// memory's stored vectors (kept weights: dragMasks()), a step or another probe set is followed by
// readying the drag in the background (EditSession::prepareCountDrag: at 100M the edited memory
// is built once, tens of seconds), so that the drag is ready when the user comes to it; the page
// stays usable meanwhile. A preview, step, probe set or new memory asked meanwhile cancels it
// (nothing half-readied stays) and it resumes after them; a stop or List Edited Memory (which
// the readied memory lists at once) waits for it. Previews and steps can be cancelled; steps
// queue up behind each other, and one cancelled or failed changes nothing (memory, edits, journal,
// stack; a commit's preview stays) and drops those queued behind it. The table's usage
// census runs on a runner of its own after each snapshot (usageCounted()): it reads the
// immutable memory, and 10,000 neighbour searches in a 100M-instance memory take a while.
// With a project attached, each step is journaled in its file by the same worker before the step
// counts as done; a step the file refuses (a full disk, say) is taken back from the memory too.
class MemoryController : public QObject {
  Q_OBJECT

 public:
  static constexpr size_t kProbeTokens = 10000;
  // Recomputed feature weights retrain the memory on every preview, undo and redo; above this
  // many training instances (a few seconds of training) edits keep the trained weights unless
  // the user chooses otherwise.
  static constexpr uint64_t kKeepWeightsFrom = 2'000'000;
  // Listing an edited memory builds its InstanceBase from every instance (at 73M instances:
  // nearly 3 minutes and 8 GB). Above this many the page offers it instead of doing it.
  static constexpr uint64_t kListEditedUpTo = 5'000'000;
  enum class Step { kCommit, kUndo, kRedo };

  explicit MemoryController(views::MemoryBrowserWidget* page, QObject* parent = nullptr);
  ~MemoryController() override;

  // The memory to edit from now on (null: none); clears the undo stack. With `project`, the
  // memory is `experiment`'s trained with the project's options, and the project's journal is
  // replayed onto it (the stack gets its edits back, redo history included) and extended.
  // The memory being edited again with its evaluation (same project) keeps its session, table
  // and census, ready or being prepared: memory() and the snapshot become the evaluated one.
  void setExperiment(std::shared_ptr<const Experiment> experiment,
                     std::shared_ptr<ProjectFile> project = nullptr);
  // Journals the following steps in `project`, which holds the edits made so far (it was just
  // saved from them). Only while idle: no job running or queued.
  void attachProject(std::shared_ptr<ProjectFile> project);
  const std::shared_ptr<ProjectFile>& project() const { return project_; }
  // The trained memory being edited; null until setExperiment().
  const std::shared_ptr<const Experiment>& trained() const { return trained_; }
  // The edits in effect and the redo history; empty until prepared. Only while idle.
  ProjectJournal::Edits edits() const;
  // Whether edits keep the trained feature weights: the project's mode, else the user's choice
  // on the page; by default recomputed, as memlens-cli projects, unless the memory is big
  // (keepsWeightsByDefault()).
  bool keepTrainedWeights() const;
  // Whether a memory trained on `trainInstances` instances keeps its weights by default.
  static bool keepsWeightsByDefault(uint64_t trainInstances) {
    return trainInstances > kKeepWeightsFrom;
  }
  // The memory as edited (the trained one before any commit); null until prepared.
  std::shared_ptr<const Experiment> memory() const { return memory_; }
  QUndoStack* undoStack() const { return stack_; }
  // Undo and redo for the Edit menu: enabled only when no job runs.
  QAction* undoAction() const { return undo_; }
  QAction* redoAction() const { return redo_; }
  // Whether a job the page waits for runs (the drag readied in the background aside).
  bool isRunning() const;
  // Whether the count-threshold drag is being readied in the background.
  bool isReadying() const;

  // Previews `edit` (or, with `prune`, the pruning it plans) on the job runner.
  void preview(const MemoryEdit& edit, const QString& title);
  void previewPrune(const PruneOptions& options);
  // Probes with `sentences` (one per line, tokenised like the corpus) from now on, or with the
  // held-out test tokens when empty; re-predicts the probe set without retraining. False (and
  // nothing changes) while a job runs or before the memory is prepared.
  bool setProbeSentences(const QString& sentences);
  // Called by MemoryEditCommand (and Commit): runs after the steps queued before it. Nothing
  // while the stack is being filled with steps already taken.
  void queueStep(Step step, const QString& title);

 Q_SIGNALS:
  // After each commit, undo and redo: the edited memory, ready to trace.
  void memoryChanged(std::shared_ptr<const Experiment> memory);
  // A flipped token was double-clicked; `testIndex` indexes memory()->test().
  void inspectRequested(int testIndex);
  // The same for a token of the user's sentences: the context (vocabulary ids) it was probed with.
  void inspectContextRequested(const std::vector<uint32_t>& context);
  // A commit, undo or redo has been taken and what it changed is on the page; the table and
  // memory() follow when the edited memory is listed (settled()).
  void stepShown();
  // The usage census of the table's memory is on the page.
  void usageCounted();
  // A job has finished and its outcome (snapshot, preview, change or error) is on the page, and
  // none is queued (the drag may be readied in the background meanwhile).
  void settled();
  // The background readying of the count-threshold drag has ended: readied, failed, or cancelled
  // by the user (not when cancelled for another job: it resumes after it).
  void readyingEnded();

 private:
  struct Pending;
  struct QueuedStep {
    Step step;
    QString title;
  };

  void adoptEvaluation(std::shared_ptr<const Experiment> evaluated);
  void start(std::shared_ptr<Pending> pending, const QString& what, bool cancellable);
  void startNext();
  // Whether a count-threshold stop masks this memory's stored vectors
  // (EditedMemory::masksCountStops(), asked as the session was made), so that readying its drag
  // does something.
  bool dragMasks() const;
  // Readies the drag in the background when a step or probe set asked for it and nothing else
  // waits.
  void startReadying();
  // The status line while it runs, with its `progress` when reported: what follows it (a stop
  // waiting, or the edits that stay available).
  QString readyingWork(const QString& progress = {}) const;
  // Runs `action` once the background readying ends; `cancel`: cancels it first (it resumes
  // after the action's job). False when no readying runs (run `action` now).
  bool afterReadying(std::function<void()> action, bool cancel);
  // Lists the edited memory for the table and Inspect after the last step taken.
  void refresh();
  void showSnapshot(std::shared_ptr<const views::MemorySnapshot> snapshot);
  // Takes the usage census of snapshot_'s memory on the census runner, unless taken or running.
  void countUsage();
  void onCounted(const Status& status);
  void onFinished(const Status& status);
  void onReadied(const Pending& pending, const Status& status, bool current);
  void commitPreview();
  // Puts the commit just taken on the stack.
  void pushCommitted(const QString& title);
  // A step cancelled or failed: the stack back to the session's edits, the page told.
  void stepNotTaken(Step step, const Status& status);
  void chooseWeightsMode(bool keepTrained);
  void updateWeightsMode();
  // Why the weights are kept when the user did not choose it (a big memory), else empty.
  QString defaultWeightsNote() const;
  void deleteVectors(const QList<quint32>& vectors);
  void relabelVector(quint32 vector, const QString& token);
  void restoreVector(const QString& context);
  void inspectProbeToken(int probeIndex);
  QString probeNote() const;
  // The context's vocabulary ids, or an explanation on the page and nothing.
  std::optional<std::vector<uint32_t>> contextIds(const QString& context);
  void updateActions();
  // Puts the replayed journal's edits on the stack, the undone ones as its redo history.
  void restoreStack(const EditedMemory& edited, const views::MemorySnapshot& shown);
  QString summary(uint64_t correct, size_t edits, uint64_t vectors, uint64_t instances) const;

  views::MemoryBrowserWidget* page_;
  views::JobRunner* runner_;
  views::JobRunner* censusRunner_;
  std::shared_ptr<views::MemorySnapshot> counted_;  // filled by the census worker
  QUndoStack* stack_;
  QAction* undo_;
  QAction* redo_;
  std::shared_ptr<const Experiment> trained_;
  std::shared_ptr<EditSession> session_;
  std::shared_ptr<const Experiment> memory_;
  std::shared_ptr<const views::MemorySnapshot> snapshot_;
  std::shared_ptr<EditedMemory::Preview> preview_;
  // The probe set and the sentences it was made of (empty: the held-out test tokens).
  std::shared_ptr<const InstanceSet> probe_;
  QString sentences_;
  QString previewTitle_;
  std::deque<QueuedStep> steps_;
  bool prepareQueued_ = false;
  // A pruning asked for while another preview ran: that one is cancelled (unless it readies the
  // drag), this one runs next.
  std::optional<PruneOptions> pruneQueued_;
  // Whether the count-threshold drag is readied for the memory as it stands (by the preparation,
  // by the background readying after a step or probe set, or else by the first stop).
  bool dragReadied_ = false;
  // Whether the session's count-threshold stops mask its stored vectors (dragMasks()).
  bool dragMasks_ = false;
  // A step or probe set since the drag was last readied asks for it in the background (until it
  // is readied, fails or the user cancels it).
  bool readyWanted_ = false;
  // What waits for the background readying to end (it was cancelled for it, or is waited for).
  std::function<void()> afterReadying_;
  bool restoring_ = false;      // the stack gets steps already taken: its commands do nothing
  bool refreshQueued_ = false;  // a step was taken: list the edited memory when none is queued
  bool unlisted_ = false;       // a big memory's steps since it was last listed
  std::optional<bool> keepTrainedWeights_;  // the user's choice, without a project
  std::shared_ptr<Pending> pending_;
  std::shared_ptr<ProjectFile> project_;
};

}  // namespace memlens::gui
