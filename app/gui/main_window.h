#pragma once

#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>
#include <memory>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/status.h"
#include "memlens/tokeniser.h"
#include "training_eta.h"

class QAction;
class QComboBox;
class QLabel;
class QMenu;
class QProgressBar;
class QTabWidget;
class QToolButton;

namespace memlens::views {
class CompareWidget;
class CorpusStatsWidget;
class CorpusTextView;
class GenerateWidget;
class InspectWidget;
class MemoryBrowserWidget;
class JobRunner;
class TrainEvaluateWidget;
}  // namespace memlens::views

namespace memlens::gui {

class CompareController;
class GenerateController;
class InspectController;
class MemoryController;
class ProjectController;
class ProjectFile;
class RecentMenu;

// The MemLens main window: opens a corpus (files or a folder, from the menu, the recent list, the
// command line or by drag and drop) and shows its statistics on the Corpus tab and its text,
// every token clickable into Inspect and tinted by the latest run, on the Text tab; the Train &
// Evaluate tab trains memories on it and compares the runs; the Inspect tab shows why the latest
// memory predicts what it does for a typed context or a test token. A .memlens project opens as
// its corpus, its memory retrained with its options and its journal replayed on the Memory tab
// (ProjectController saves one). Every load and every training runs
// in the one job runner; the status bar shows its progress, an estimate of the time left and a
// Cancel button while it runs. A trained memory goes to Inspect, Memory and Generate at once,
// while its evaluation (live figures on a growing random sample) and learning curve go on; a
// training cancelled from then on keeps what it measured as a run. Otherwise a failed or
// cancelled job leaves what was on screen before it: the previous corpus, the previous runs.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Loads the corpus made of these files and folders; ignored (with a status message) while
  // another job runs.
  void openPaths(const QStringList& paths);
  // Opens a .memlens project: reads its memory file (or, without a usable one, loads its corpus
  // — refused if a file changed since — and trains its memory with its options) and replays its
  // edits; ignored (with a status message) while busy.
  void openProject(const QString& path);
  // Opens a MemLens memory file (.mlm): its memory answers at once, without its corpus text if
  // the corpus files are gone or changed; ignored (with a status message) while busy.
  // A TiMBL instance base (.ibase, BASE.wgt beside it read as its weights) opens the same way,
  // as a memory without text: nothing to evaluate and, until attachTrainingText(), no provenance.
  void openMemory(const QString& path);
  // Reopens the TiMBL base on screen with the text it was trained on, which gives its stored
  // vectors their provenance; refused (an error box saying which counts differ) for other text.
  void attachTrainingText(const QStringList& files);
  // Shows a trace JSON file (memlens-cli explain --json; of a sharded memory too, from
  // memlens-cli-mpi) on the Inspect tab, as written: no memory is needed.
  void openTrace(const QString& path);

 Q_SIGNALS:
  // A job has finished and its outcome is on screen (statistics, a new run, or an error box).
  void jobSettled();
  // The Inspect tab shows the answer to its latest request (a trace or an error).
  void inspected();
  // A newly trained memory is on the Inspect, Memory and Generate tabs; its evaluation and
  // learning curve go on in the job runner.
  void memoryReady();
  // The Train page shows new live metrics of the memory being evaluated.
  void evaluationUpdated();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  struct PendingLoad;
  struct PendingTraining;
  // A run of this session with its learning curve, to show again when picked in the runs table.
  struct FinishedRun {
    std::shared_ptr<const RunRecord> record;
    std::vector<LearningCurvePoint> curve;
    // Its per-token test results, for the Compare tab (a copy: the Experiment is far larger).
    std::shared_ptr<const EvaluationReport> report;
  };

  void createActions();
  // Trains and evaluates a memory on the open corpus with the options on the Train & Evaluate
  // tab, then measures its learning curve; ignored (with a status message) without a corpus or
  // while another job runs.
  void startTraining();
  void createStatusBar();
  void openFilesDialog();
  void openFolderDialog();
  void reloadWithNewTokeniser();
  // Loads `paths` (with `project`, its corpus) in the job runner.
  void load(const QStringList& paths, std::shared_ptr<ProjectFile> project);
  void updateTitle();
  void showAbout();
  TokeniserOptions tokeniserOptions() const;
  // The tokeniser choice a corpus opens with: the box's, or while it shows a memory's tokeniser
  // it does not offer, the one last chosen.
  int chosenTokeniser() const;
  // Shows the tokeniser `corpus` was made with: one of the box's choices, or an extra entry
  // naming it (an .ibase is read with spaces, a saved memory may use GPT-2).
  void showTokeniserOf(const TokenisedCorpus& corpus);
  // Selects choice `index` of the box, dropping the extra entry, without reloading.
  void showTokeniserChoice(int index);
  void setBusy(bool busy);
  void onProgress(double fraction, const QString& stage);
  void onJobFinished(const Status& status);
  void onLoadFinished(const Status& status);
  void train(const ExperimentOptions& options) { startRun(options, nullptr); }
  // Trains on the corpus on screen; with `project`, its memory, whose journal the Memory tab
  // replays.
  void startRun(const ExperimentOptions& options, std::shared_ptr<ProjectFile> project);
  // A token clicked in the Text tab: a test token is inspected as such, any other by the context
  // before it.
  void inspectCorpusToken(quint64 token);
  // A context given as vocabulary ids (a generated token's, a probe sentence token's).
  void inspectIds(const std::vector<uint32_t>& context);
  // The trained memory, before its evaluation: the tabs that read the memory get it now.
  void onMemoryTrained(const std::shared_ptr<const Experiment>& memory);
  // Opens the memory file at `memoryPath` (with `project`, that project's) in the job runner
  // instead of training; its evaluation and learning curve follow as after training.
  void startOpen(const QString& memoryPath, std::shared_ptr<ProjectFile> project,
                 const QStringList& trainingText = {});
  // The opened memory's corpus becomes the one on screen (its figures follow).
  void onMemoryOpened(const std::shared_ptr<const Experiment>& memory);
  // On the worker: hands `memory` to the tabs (onMemoryTrained()) and waits until they have it,
  // or a cancel. What the worker starts next (the evaluation, the file's checks, the corpus
  // figures) would take the CPU from the GUI thread listing a big memory (100M instances, two
  // busy cores, with the Text tab's first page: rows 1.6–2.5 s after opening, now 0.35–0.62 s).
  Status handOver(const std::shared_ptr<const Experiment>& memory, JobControl& job);
  // On the worker: `memory`, trained or opened, evaluated (live updates posted to the window),
  // then its learning curve.
  Status evaluateInBackground(const std::shared_ptr<PendingTraining>& training,
                              const std::shared_ptr<const Experiment>& memory, JobControl& job);
  void onMemorySaved(const Status& status);
  void openMemoryDialog();
  void openTraceDialog();
  void attachTextDialog();
  void saveMemoryDialog();
  void onEvaluationUpdate(const EvaluationUpdate& update);
  void onRunEvaluated(const std::shared_ptr<const RunRecord>& record);
  // A run into the runs table and the Compare tab (a run read from a project has no curve and
  // no per-token report).
  void addRun(FinishedRun run, std::shared_ptr<const TokenisedCorpus> corpus);
  void onCurvePoint(const LearningCurvePoint& point);
  void onTrainingFinished(const Status& status);
  // A warning box (window-modal, not blocking) with the core's message.
  void warn(const QString& title, const QString& what, const Status& status);
  void showRun(int row);
  void showMemory(uint64_t storedVectors, uint64_t trainInstances);
  void onMemoryEdited(const std::shared_ptr<const Experiment>& memory);
  double trainingSeconds() const;

  views::JobRunner* runner_;
  QTabWidget* tabs_;
  views::CorpusStatsWidget* statsWidget_;
  views::CorpusTextView* textView_;
  views::TrainEvaluateWidget* trainWidget_;
  views::InspectWidget* inspectWidget_;
  InspectController* inspector_;
  views::MemoryBrowserWidget* memoryWidget_;
  MemoryController* memoryController_;
  views::CompareWidget* compareWidget_ = nullptr;
  CompareController* comparer_ = nullptr;
  views::GenerateWidget* generateWidget_ = nullptr;
  GenerateController* generator_ = nullptr;
  ProjectController* projects_ = nullptr;
  QComboBox* tokeniserBox_ = nullptr;
  RecentMenu* recentCorpora_ = nullptr;
  QList<QAction*> openActions_;
  QAction* cancelAction_ = nullptr;
  QAction* trainAction_ = nullptr;
  QAction* saveMemoryAction_ = nullptr;
  QAction* attachTextAction_ = nullptr;
  QString timblBase_;     // the TiMBL base on screen while it has no provenance to recover
  QString savingMemory_;  // the memory file being written, while it is
  QLabel* stageLabel_ = nullptr;
  QLabel* etaLabel_ = nullptr;
  QLabel* memoryLabel_ = nullptr;
  QProgressBar* progressBar_ = nullptr;
  QToolButton* cancelButton_ = nullptr;

  // The corpus on screen: its paths and tokeniser choice, to reload it with another tokeniser
  // and to put the choice back when such a reload fails.
  QStringList shownPaths_;
  int shownTokeniser_ = 0;
  // The corpus on screen, which training runs on.
  std::shared_ptr<const TokenisedCorpus> corpus_;
  // Filled by the running load's worker, read in onJobFinished().
  std::shared_ptr<PendingLoad> pending_;

  // The running training: filled by its worker, read in onTrainingFinished(). Its curve points
  // reach the chart one by one before that.
  std::shared_ptr<PendingTraining> training_;
  QElapsedTimer trainingClock_;
  TrainingEta eta_;
  // The latest trained memory (evaluated once its run has finished), for the windows that will
  // inspect it.
  std::shared_ptr<const Experiment> experiment_;
  std::vector<FinishedRun> runs_;
  int shownRun_ = -1;
};

}  // namespace memlens::gui
