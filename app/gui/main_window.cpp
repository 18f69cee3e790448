#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "common/job_runner.h"
#include "compare/compare_widget.h"
#include "compare_controller.h"
#include "corpus/corpus_stats_widget.h"
#include "corpus/corpus_text_view.h"
#include "export_menu.h"
#include "generate/generate_widget.h"
#include "generate_controller.h"
#include "inspect/inspect_widget.h"
#include "inspect_controller.h"
#include "main_window_pending.h"
#include "memlens/corpus_stats.h"
#include "memlens/option_names.h"
#include "memlens/project.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/trace.h"
#include "memory/memory_browser_widget.h"
#include "memory_controller.h"
#include "project_controller.h"
#include "project_file.h"
#include "recent_menu.h"
#include "train/learning_curve_chart.h"
#include "train/metrics_widget.h"
#include "train/run_table_model.h"
#include "train/train_evaluate_widget.h"
#include "train/train_options_widget.h"
#include "train_settings.h"

namespace memlens::gui {

using namespace window_text;

namespace {

const QString kRecentKey = QStringLiteral("recentCorpora");
const QString kTokeniserKey = QStringLiteral("tokeniser");
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kStatsLayoutKey = QStringLiteral("mainWindow/statsLayout");
const QString kTrainLayoutKey = QStringLiteral("mainWindow/trainLayout");
const QString kInspectLayoutKey = QStringLiteral("mainWindow/inspectLayout");
const QString kMemoryLayoutKey = QStringLiteral("mainWindow/memoryLayout");
const QString kCompareLayoutKey = QStringLiteral("mainWindow/compareLayout");
const QString kTabKey = QStringLiteral("mainWindow/tab");

struct TokeniserChoice {
  const char* label;
  const char* settingsName;
  bool lowercase;
};
constexpr std::array kTokenisers = {
    TokeniserChoice{QT_TRANSLATE_NOOP("memlens::gui::MainWindow", "Words"), "word", false},
    TokeniserChoice{QT_TRANSLATE_NOOP("memlens::gui::MainWindow", "Words, lowercased"),
                    "word-lowercase", true},
};

// The tokeniser choice last made (in the settings), or the first.
int savedTokeniser() {
  const QString saved = QSettings().value(kTokeniserKey).toString();
  for (size_t i = 0; i < kTokenisers.size(); ++i)
    if (saved == QLatin1String(kTokenisers[i].settingsName)) return static_cast<int>(i);
  return 0;
}

// How a set of paths is named in the title bar and the recent list.
QString describePaths(const QStringList& paths) {
  QString first = QFileInfo(paths.front()).fileName();
  if (paths.size() == 1) return first;
  return MainWindow::tr("%1 and %n more", nullptr, static_cast<int>(paths.size() - 1)).arg(first);
}

QStringList localPaths(const QMimeData* mime) {
  QStringList paths;
  if (!mime->hasUrls()) return paths;
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) return {};  // a mixed drop would open a corpus the user did not mean
    paths.append(url.toLocalFile());
  }
  return paths;
}

}  // namespace

struct MainWindow::PendingLoad {
  QStringList paths;
  std::shared_ptr<ProjectFile> project;  // the project whose corpus this is, if any
  int tokeniser = 0;
  QElapsedTimer timer;
  // Both set by the worker on success.
  std::shared_ptr<const TokenisedCorpus> corpus;
  std::shared_ptr<const CorpusStats> stats;
};

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      runner_(new views::JobRunner(this)),
      tabs_(new QTabWidget(this)),
      statsWidget_(new views::CorpusStatsWidget(this)),
      textView_(new views::CorpusTextView(this)),
      trainWidget_(new views::TrainEvaluateWidget(this)),
      inspectWidget_(new views::InspectWidget(this)),
      inspector_(new InspectController(inspectWidget_, this)),
      memoryWidget_(new views::MemoryBrowserWidget(this)),
      memoryController_(new MemoryController(memoryWidget_, this)) {
  tabs_->setObjectName(QStringLiteral("tabs"));
  tabs_->setDocumentMode(true);
  tabs_->addTab(statsWidget_, tr("&Corpus"));
  tabs_->addTab(textView_, tr("Te&xt"));
  tabs_->addTab(trainWidget_, tr("&Train && Evaluate"));
  tabs_->addTab(inspectWidget_, tr("&Inspect"));
  tabs_->addTab(memoryWidget_, tr("&Memory"));
  compareWidget_ = new views::CompareWidget(this);
  comparer_ = new CompareController(compareWidget_, this);
  tabs_->addTab(compareWidget_, tr("Com&pare"));
  generateWidget_ = new views::GenerateWidget(this);
  generator_ = new GenerateController(generateWidget_, this);
  tabs_->addTab(generateWidget_, tr("&Generate"));
  projects_ = new ProjectController(this, memoryController_, [this] {
    std::vector<std::shared_ptr<const RunRecord>> records;
    for (const FinishedRun& run : runs_) records.push_back(run.record);
    return records;
  });
  connect(projects_, &ProjectController::openRequested, this, &MainWindow::openProject);
  connect(projects_, &ProjectController::stateChanged, this, &MainWindow::updateTitle);
  setCentralWidget(tabs_);
  setAcceptDrops(true);
  setWindowTitle(QStringLiteral("MemLens"));
  createActions();
  createStatusBar();
  connect(runner_, &views::JobRunner::progress, this, &MainWindow::onProgress);
  connect(runner_, &views::JobRunner::finished, this, &MainWindow::onJobFinished);
  connect(trainWidget_->options(), &views::TrainOptionsWidget::trainingRequested, this,
          &MainWindow::train);
  connect(trainWidget_, &views::TrainEvaluateWidget::runSelected, this, &MainWindow::showRun);
  connect(inspector_, &InspectController::settled, this, &MainWindow::inspected);
  connect(inspector_, &InspectController::traceOpened, this, [this](const QString& path) {
    tabs_->setCurrentWidget(inspectWidget_);
    statusBar()->showMessage(tr("Opened the trace %1.").arg(QFileInfo(path).fileName()), 5000);
    Q_EMIT inspected();
  });
  connect(inspector_, &InspectController::traceOpenFailed, this,
          [this](const QString& path, const QString& message) {
            warn(tr("Cannot Open the Trace"),
                 tr("%1 could not be read as a trace.").arg(QFileInfo(path).fileName()),
                 Status::corrupt(message.toStdString()));
          });
  connect(memoryController_, &MemoryController::memoryChanged, this, &MainWindow::onMemoryEdited);
  connect(memoryController_, &MemoryController::inspectRequested, this, [this](int testIndex) {
    tabs_->setCurrentWidget(inspectWidget_);
    inspectWidget_->inspectTestToken(testIndex);
  });
  connect(memoryController_, &MemoryController::inspectContextRequested, this,
          &MainWindow::inspectIds);
  connect(comparer_, &CompareController::inspectTestTokenRequested, this, [this](int index) {
    tabs_->setCurrentWidget(inspectWidget_);
    inspectWidget_->inspectTestToken(index);
  });
  connect(comparer_, &CompareController::problem, this,
          [this](const QString& message) { statusBar()->showMessage(message, 8000); });
  connect(generator_, &GenerateController::inspectContextRequested, this, &MainWindow::inspectIds);
  connect(textView_, &views::CorpusTextView::tokenActivated, this, &MainWindow::inspectCorpusToken);

  QSettings settings;
  if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) resize(1280, 860);
  restoreState(settings.value(kStateKey).toByteArray());
  statsWidget_->restoreState(settings.value(kStatsLayoutKey).toByteArray());
  trainWidget_->restoreState(settings.value(kTrainLayoutKey).toByteArray());
  inspectWidget_->restoreState(settings.value(kInspectLayoutKey).toByteArray());
  memoryWidget_->restoreState(settings.value(kMemoryLayoutKey).toByteArray());
  compareWidget_->restoreState(settings.value(kCompareLayoutKey).toByteArray());
  trainWidget_->options()->setOptions(
      loadTrainOptions(settings, trainWidget_->options()->options()));
  tabs_->setCurrentIndex(settings.value(kTabKey, 0).toInt());
  setBusy(false);
  statusBar()->showMessage(tr("Open a corpus with File ▸ Open, or drop files here."));
}

// Out of line: PendingLoad is complete only here. The Memory tab's undo stack, cleared as the
// children go, must not reach a window whose members are gone.
MainWindow::~MainWindow() { disconnect(projects_, nullptr, this, nullptr); }

void MainWindow::createActions() {
  QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
  QAction* openFiles =
      fileMenu->addAction(tr("&Open Corpus Files…"), this, &MainWindow::openFilesDialog);
  openFiles->setShortcut(QKeySequence::Open);
  QAction* openFolder =
      fileMenu->addAction(tr("Open Corpus &Folder…"), this, &MainWindow::openFolderDialog);
  openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  QMenu* recentMenu = fileMenu->addMenu(tr("Open &Recent"));
  recentCorpora_ =
      new RecentMenu(recentMenu, kRecentKey, tr("No recent corpora"), describePaths, this);
  connect(recentCorpora_, &RecentMenu::chosen, this, &MainWindow::openPaths);
  QAction* openMemoryAction =
      fileMenu->addAction(tr("Open &Memory…"), this, &MainWindow::openMemoryDialog);
  openMemoryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
  QAction* openTraceAction =
      fileMenu->addAction(tr("Open T&race…"), this, &MainWindow::openTraceDialog);
  openTraceAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
  saveMemoryAction_ =
      fileMenu->addAction(tr("Save Memory &As…"), this, &MainWindow::saveMemoryDialog);
  saveMemoryAction_->setEnabled(false);
  attachTextAction_ =
      fileMenu->addAction(tr("Attach &Training Text…"), this, &MainWindow::attachTextDialog);
  attachTextAction_->setEnabled(false);
  fileMenu->addSeparator();
  projects_->addActions(fileMenu);
  fileMenu->addSeparator();
  new ExportMenu(
      fileMenu->addMenu(tr("&Export")), tabs_,
      [this] {
        std::vector<std::shared_ptr<const RunRecord>> records;
        for (const FinishedRun& run : runs_) records.push_back(run.record);
        return records;
      },
      this);
  fileMenu->addSeparator();
  QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quit->setMenuRole(QAction::QuitRole);
  openActions_ = {openFiles, openFolder, recentMenu->menuAction(), openMemoryAction};

  QMenu* editMenu = menuBar()->addMenu(tr("&Edit"));
  editMenu->addAction(memoryController_->undoAction());
  editMenu->addAction(memoryController_->redoAction());

  QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
  for (int tab = 0; tab < tabs_->count(); ++tab) {
    QAction* show = viewMenu->addAction(tabs_->tabText(tab), this,
                                        [this, tab] { tabs_->setCurrentIndex(tab); });
    show->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + tab)));
  }

  QMenu* modelMenu = menuBar()->addMenu(tr("&Model"));
  trainAction_ = modelMenu->addAction(tr("&Train and Evaluate"), this, [this] { startTraining(); });
  trainAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  trainAction_->setToolTip(
      tr("Train a memory on the open corpus with the options on the Train & "
         "Evaluate tab (Ctrl+T)"));

  QAction* inspect = modelMenu->addAction(tr("&Inspect a Context"), this, [this] {
    tabs_->setCurrentWidget(inspectWidget_);
    inspectWidget_->focusContext();
  });
  inspect->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
  inspect->setToolTip(tr("Type a context and see why the memory predicts what it does (Ctrl+I)"));

  QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
  helpMenu->addAction(tr("&About MemLens"), this, &MainWindow::showAbout)
      ->setMenuRole(QAction::AboutRole);
  helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)
      ->setMenuRole(QAction::AboutQtRole);

  QToolBar* toolBar = addToolBar(tr("Corpus"));
  toolBar->setObjectName(QStringLiteral("corpusToolBar"));  // restoreState() needs a name
  toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  openFiles->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
  openFolder->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
  toolBar->addAction(openFiles);
  toolBar->addAction(openFolder);
  toolBar->addSeparator();
  auto* tokeniserLabel = new QLabel(tr("Tokeniser: "), toolBar);
  tokeniserBox_ = new QComboBox(toolBar);
  tokeniserBox_->setObjectName(QStringLiteral("tokeniserBox"));
  tokeniserBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);  // "spaces (the memory's)"
  tokeniserLabel->setBuddy(tokeniserBox_);
  for (const TokeniserChoice& choice : kTokenisers) tokeniserBox_->addItem(tr(choice.label));
  tokeniserBox_->setCurrentIndex(savedTokeniser());
  shownTokeniser_ = tokeniserBox_->currentIndex();
  toolBar->addWidget(tokeniserLabel);
  toolBar->addWidget(tokeniserBox_);
  connect(tokeniserBox_, &QComboBox::currentIndexChanged, this,
          &MainWindow::reloadWithNewTokeniser);

  // A window-wide action, so Esc cancels wherever the focus is.
  cancelAction_ = new QAction(tr("Cancel"), this);
  cancelAction_->setShortcut(QKeySequence(Qt::Key_Escape));
  cancelAction_->setToolTip(tr("Cancel the running job (Esc)"));
  connect(cancelAction_, &QAction::triggered, runner_, &views::JobRunner::cancel);
  addAction(cancelAction_);
  modelMenu->addAction(cancelAction_);
}

void MainWindow::createStatusBar() {
  memoryLabel_ = new QLabel(this);
  memoryLabel_->setObjectName(QStringLiteral("memoryLabel"));
  memoryLabel_->setToolTip(
      tr("Stored vectors in the current run's memory: distinct training "
         "contexts"));
  stageLabel_ = new QLabel(this);
  etaLabel_ = new QLabel(this);
  etaLabel_->setObjectName(QStringLiteral("etaLabel"));
  progressBar_ = new QProgressBar(this);
  progressBar_->setRange(0, 1000);
  progressBar_->setFixedWidth(220);
  progressBar_->setTextVisible(false);
  cancelButton_ = new QToolButton(this);
  cancelButton_->setDefaultAction(cancelAction_);
  cancelButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  statusBar()->addPermanentWidget(memoryLabel_);
  statusBar()->addPermanentWidget(stageLabel_);
  statusBar()->addPermanentWidget(progressBar_);
  statusBar()->addPermanentWidget(etaLabel_);
  statusBar()->addPermanentWidget(cancelButton_);
}

void MainWindow::openFilesDialog() {
  const QStringList files =
      QFileDialog::getOpenFileNames(this, tr("Open Corpus Files"), QString(),
                                    tr("Text files (*.txt *.text *.tok);;All files (*)"));
  if (!files.isEmpty()) openPaths(files);
}

void MainWindow::openFolderDialog() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Corpus Folder"));
  if (!folder.isEmpty()) openPaths({folder});
}

TokeniserOptions MainWindow::tokeniserOptions() const {
  TokeniserOptions options;
  options.kind = TokeniserKind::kWord;
  options.lowercase = kTokenisers[chosenTokeniser()].lowercase;
  return options;
}

int MainWindow::chosenTokeniser() const {
  const int index = tokeniserBox_->currentIndex();
  return index < static_cast<int>(kTokenisers.size()) ? index : savedTokeniser();
}

void MainWindow::showTokeniserOf(const TokenisedCorpus& corpus) {
  const TokeniserOptions& t = corpus.tokeniserOptions;
  for (size_t i = 0; i < kTokenisers.size(); ++i)
    if (t.kind == TokeniserKind::kWord && t.lowercase == kTokenisers[i].lowercase) {
      showTokeniserChoice(static_cast<int>(i));
      return;
    }
  const QSignalBlocker blocker(tokeniserBox_);
  const QString name = tr("%1 (the memory's)").arg(QString::fromStdString(corpus.tokeniserName));
  if (tokeniserBox_->count() == static_cast<int>(kTokenisers.size())) {
    tokeniserBox_->addItem(name);
  } else {
    tokeniserBox_->setItemText(tokeniserBox_->count() - 1, name);
  }
  shownTokeniser_ = tokeniserBox_->count() - 1;
  tokeniserBox_->setCurrentIndex(shownTokeniser_);
}

void MainWindow::showTokeniserChoice(int index) {
  const QSignalBlocker blocker(tokeniserBox_);
  tokeniserBox_->setCurrentIndex(index);
  if (tokeniserBox_->count() > static_cast<int>(kTokenisers.size()))
    tokeniserBox_->removeItem(tokeniserBox_->count() - 1);
  shownTokeniser_ = index;
}

void MainWindow::openPaths(const QStringList& paths) { load(paths, nullptr); }

void MainWindow::openProject(const QString& path) {
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  auto file = ProjectFile::open(QFileInfo(path).absoluteFilePath());
  Status refused = file.status();
  if (file && (*file)->options().tokeniser.kind != TokeniserKind::kWord)
    refused = Status::invalidArgument(
        "the project was made with the GPT-2 BPE tokeniser, which the window does "
        "not offer; open it with memlens-cli project");
  if (!refused) {
    warn(tr("Could not open the project"), tr("MemLens could not open %1.").arg(path), refused);
    return;
  }
  const QString memory = QFile::decodeName(
      Project::memoryPath(QFile::encodeName((*file)->path()).toStdString()).c_str());
  if (QFileInfo::exists(memory)) {
    startOpen(memory, std::move(*file));
    return;
  }
  QStringList paths;
  for (const ProjectCorpusFile& f : (*file)->corpus())
    paths.append(QFile::decodeName(f.path.c_str()));
  {
    const QSignalBlocker blocker(tokeniserBox_);  // the project's tokeniser, not a reload
    for (size_t i = 0; i < kTokenisers.size(); ++i)
      if (kTokenisers[i].lowercase == (*file)->options().tokeniser.lowercase)
        tokeniserBox_->setCurrentIndex(static_cast<int>(i));
  }
  load(paths, std::move(*file));
}

void MainWindow::load(const QStringList& paths, std::shared_ptr<ProjectFile> project) {
  if (paths.isEmpty()) return;
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  auto pending = std::make_shared<PendingLoad>();
  pending->tokeniser = chosenTokeniser();
  pending->project = project;
  std::vector<std::string> corePaths;
  for (const QString& path : paths) {
    pending->paths.append(QFileInfo(path).absoluteFilePath());
    corePaths.push_back(QFile::encodeName(pending->paths.back()).toStdString());
  }
  pending->timer.start();
  const TokeniserOptions options = project ? project->options().tokeniser : tokeniserOptions();
  // The lambda holds its own reference: the worker writes `stats` into it, and the window reads
  // it in onJobFinished(), after the worker has ended.
  runner_->run(
      tr("opening %1").arg(describePaths(paths)),
      [pending, corePaths, options](JobControl& job) -> Status {
        auto loaded = TokenisedCorpus::load(corePaths, options, {}, &job);
        if (!loaded) return loaded.status();
        if (pending->project) {
          if (Status s = Project::checkCorpus(pending->project->corpus(), *(*loaded)->corpus); !s)
            return Status::invalidArgument(
                QFile::encodeName(pending->project->path()).toStdString() + ": " + s.message());
        }
        job.report(0.0, "computing statistics");
        const TokenisedCorpus& corpus = **loaded;
        pending->stats = std::make_shared<const CorpusStats>(
            CorpusStats::compute(*corpus.corpus, corpus.tokens, corpus.vocab));
        pending->corpus = std::move(*loaded);
        return Status::ok();
      });
  pending_ = std::move(pending);
  setBusy(true);
  statusBar()->clearMessage();
  stageLabel_->setText(tr("Opening %1…").arg(describePaths(paths)));
}

void MainWindow::reloadWithNewTokeniser() {
  // The memory's own entry is what is shown already.
  if (tokeniserBox_->currentIndex() >= static_cast<int>(kTokenisers.size())) return;
  QSettings().setValue(kTokeniserKey,
                       QLatin1String(kTokenisers[tokeniserBox_->currentIndex()].settingsName));
  if (!shownPaths_.isEmpty()) openPaths(shownPaths_);
}

void MainWindow::setBusy(bool busy) {
  for (QAction* action : openActions_) action->setEnabled(!busy);
  tokeniserBox_->setEnabled(!busy);
  cancelAction_->setEnabled(busy);
  trainAction_->setEnabled(!busy && corpus_);
  // A memory without provenance would be saved with sources that name no token.
  saveMemoryAction_->setEnabled(!busy && experiment_ && experiment_->hasProvenance());
  attachTextAction_->setEnabled(!busy && !timblBase_.isEmpty());
  trainWidget_->options()->setTrainingEnabled(!busy && corpus_);
  stageLabel_->setVisible(busy);
  progressBar_->setVisible(busy);
  cancelButton_->setVisible(busy);
  etaLabel_->setVisible(busy && training_);
  etaLabel_->clear();
  progressBar_->setValue(0);
}

void MainWindow::onProgress(double fraction, const QString& stage) {
  if (!training_) {
    progressBar_->setValue(static_cast<int>(fraction * 1000.0));
    if (!stage.isEmpty()) stageLabel_->setText(stage);
    return;
  }
  const double now = trainingSeconds();
  progressBar_->setValue(static_cast<int>(eta_.fraction(now, fraction) * 1000.0));
  const QString first = training_->memoryFile.isEmpty() ? tr("Training and evaluating")
                                                        : tr("Opening and evaluating");
  const QString step =
      eta_.step() == 0 ? first
                       : tr("Learning curve %1 of %2").arg(eta_.step()).arg(eta_.stepCount() - 1);
  stageLabel_->setText(stage.isEmpty() ? step : tr("%1: %2").arg(step, stage));
  const std::optional<double> left = eta_.secondsLeft(now);
  etaLabel_->setText(left ? describeSecondsLeft(*left) : tr("estimating time left…"));
}

void MainWindow::onJobFinished(const Status& status) {
  if (training_) {
    onTrainingFinished(status);
  } else if (!savingMemory_.isEmpty()) {
    onMemorySaved(status);
  } else {
    onLoadFinished(status);
  }
  Q_EMIT jobSettled();
}

void MainWindow::onLoadFinished(const Status& status) {
  const std::shared_ptr<PendingLoad> load = std::move(pending_);
  if (status.isOk()) corpus_ = load->corpus;
  setBusy(false);
  if (status.isOk()) {
    statsWidget_->setSnapshot(load->stats);
    textView_->setCorpus(corpus_);
    shownPaths_ = load->paths;
    showTokeniserChoice(load->tokeniser);
    recentCorpora_->add(load->paths);
    updateTitle();
    const CorpusStats& s = *load->stats;
    statusBar()->showMessage(
        tr("Opened %1 in %2 s: %3 tokens, %4 types.")
            .arg(describePaths(load->paths))
            .arg(QLocale().toString(static_cast<double>(load->timer.elapsed()) / 1000.0, 'f', 1))
            .arg(QLocale().toString(static_cast<qulonglong>(s.tokens)))
            .arg(QLocale().toString(static_cast<qulonglong>(s.types))));
    if (load->project) {
      const ExperimentOptions& options = load->project->options().experiment;
      trainWidget_->options()->setOptions(options);
      startRun(options, load->project);
    }
  } else {
    // The corpus on screen stays; so must the tokeniser choice it was made with.
    const QSignalBlocker blocker(tokeniserBox_);
    tokeniserBox_->setCurrentIndex(shownTokeniser_);
    if (status.isCancelled()) {
      statusBar()->showMessage(tr("Cancelled opening %1.").arg(describePaths(load->paths)), 8000);
    } else {
      statusBar()->clearMessage();
      // Not exec(): the window keeps repainting and the caller is not re-entered.
      warn(tr("Could not open the corpus"),
           tr("MemLens could not open %1.").arg(describePaths(load->paths)), status);
    }
  }
}

void MainWindow::onMemorySaved(const Status& status) {
  const QString path = std::exchange(savingMemory_, QString());
  setBusy(false);
  if (status.isOk()) {
    statusBar()->showMessage(tr("Saved the memory to %1.").arg(path), 8000);
  } else if (status.isCancelled()) {
    statusBar()->showMessage(tr("Cancelled saving the memory; %1 is as it was.").arg(path), 8000);
  } else {
    warn(tr("Could not save the memory"), tr("MemLens could not save the memory to %1.").arg(path),
         status);
  }
}

void MainWindow::startTraining() {
  if (runner_->isRunning()) return;
  tabs_->setCurrentWidget(trainWidget_);
  trainWidget_->options()->requestTraining();
}

void MainWindow::inspectIds(const std::vector<uint32_t>& context) {
  tabs_->setCurrentWidget(inspectWidget_);
  inspector_->inspectIds(context);
}

void MainWindow::inspectCorpusToken(quint64 token) {
  if (!experiment_ || &experiment_->corpus() != corpus_.get()) {
    statusBar()->showMessage(tr("Train a memory on this corpus first: Inspect asks the memory."),
                             5000);
    return;
  }
  const std::vector<uint64_t>& test = experiment_->test().sources;  // ascending: corpus order
  const auto it = std::lower_bound(test.begin(), test.end(), token);
  tabs_->setCurrentWidget(inspectWidget_);
  if (it != test.end() && *it == token) {
    inspectWidget_->inspectTestToken(static_cast<int>(it - test.begin()));
    return;
  }
  // Not a test token: its context as the memory saw it, from the start of its block (its line,
  // or with OLIFANT blocks the run of non-empty lines it is in) up to it.
  const TokenStream& tokens = corpus_->tokens;
  size_t line = tokens.lineOf(token);
  if (experiment_->record().options.window.blocks == BlockMode::kOlifant) {
    while (line > 0 && tokens.line(line - 1).document == tokens.line(line).document &&
           tokens.lineEnd(line - 1) > tokens.line(line - 1).firstToken)
      --line;
  }
  const auto& ids = tokens.ids();
  const std::vector<uint32_t> before(
      ids.begin() + static_cast<std::ptrdiff_t>(tokens.line(line).firstToken),
      ids.begin() + static_cast<std::ptrdiff_t>(token));
  inspector_->inspectIds(
      contextWindow(before, experiment_->record().options.window.width, corpus_->paddingId));
  statusBar()->showMessage(tr("That token was not a test token (it was trained on or held out): "
                              "inspecting the context before it."),
                           8000);
}

void MainWindow::openTrace(const QString& path) { inspector_->openTrace(path); }

void MainWindow::openTraceDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open Trace"), QString(),
      tr("Traces (memlens-cli explain --json) (*.json);;All files (*)"));
  if (!path.isEmpty()) openTrace(path);
}

void MainWindow::warn(const QString& title, const QString& what, const Status& status) {
  auto* box = new QMessageBox(QMessageBox::Warning, title, what, QMessageBox::Ok, this);
  box->setInformativeText(QString::fromStdString(status.message()));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::addRun(FinishedRun run, std::shared_ptr<const TokenisedCorpus> corpus) {
  runs_.push_back(std::move(run));
  comparer_->addRun({static_cast<int>(runs_.size()), runs_.back().record, runs_.back().report,
                     std::move(corpus)});
  trainWidget_->runs()->append(runs_.back().record);
}

void MainWindow::showRun(int row) {
  views::LearningCurveChart* chart = trainWidget_->chart();
  if (row < 0 || row >= static_cast<int>(runs_.size())) {
    shownRun_ = -1;
    trainWidget_->metrics()->setRun(nullptr);
    chart->clear(tr("Learning curve: no run yet"));
    memoryLabel_->clear();
    return;
  }
  shownRun_ = row;
  const FinishedRun& run = runs_[static_cast<size_t>(row)];
  trainWidget_->metrics()->setRun(run.record);
  if (training_) return;  // the chart and the memory label belong to the live run meanwhile
  chart->clear(tr("Learning curve"));
  for (const LearningCurvePoint& p : run.curve) {
    chart->addPoint(static_cast<double>(p.trainInstances), p.metrics.accuracy(),
                    p.metrics.perplexity());
  }
  chart->chart()->setTitle(tr("Learning curve of run %1").arg(row + 1));
  showMemory(run.record->storedVectors, run.record->trainInstances);
}

void MainWindow::showMemory(uint64_t storedVectors, uint64_t trainInstances) {
  memoryLabel_->setText(tr("Memory: %1 vectors from %2 instances")
                            .arg(number(storedVectors), number(trainInstances)));
}

// The edited memory is what Inspect traces and Generate continues from now on, and what the
// status bar sizes.
void MainWindow::onMemoryEdited(const std::shared_ptr<const Experiment>& memory) {
  if (training_) training_->memoryEdited = true;
  inspector_->setExperiment(memory);
  generator_->setExperiment(memory, /*edited=*/true);
  showMemory(memory->record().storedVectors, memory->record().trainInstances);
  memoryLabel_->setText(memoryLabel_->text() + tr(" (edited)"));
}

// The corpus, and the project when one holds the memory; [*] while edits are in no project.
void MainWindow::updateTitle() {
  if (shownPaths_.isEmpty()) return;
  const QString corpus = describePaths(shownPaths_);
  const auto project = projects_->project();
  setWindowTitle(project
                     ? tr("%1 (%2)[*] — MemLens").arg(QFileInfo(project->path()).fileName(), corpus)
                     : tr("%1[*] — MemLens").arg(corpus));
  setWindowModified(projects_->hasUnsavedEdits());
}

void MainWindow::showAbout() {
  QMessageBox::about(
      this, tr("About MemLens"),
      tr("<h3>MemLens %1</h3>"
         "<p>A desktop explorer for memory-based language models: k-nearest-neighbour "
         "next-token prediction in the style of TiMBL.</p>")
          .arg(QStringLiteral(MEMLENS_VERSION)));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!projects_->confirmClose()) {
    event->ignore();
    return;
  }
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
  settings.setValue(kStatsLayoutKey, statsWidget_->saveState());
  settings.setValue(kTrainLayoutKey, trainWidget_->saveState());
  settings.setValue(kInspectLayoutKey, inspectWidget_->saveState());
  settings.setValue(kMemoryLayoutKey, memoryWidget_->saveState());
  settings.setValue(kCompareLayoutKey, compareWidget_->saveState());
  settings.setValue(kTabKey, tabs_->currentIndex());
  // A running job is cancelled and joined when the runner, a child of this window, is destroyed.
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!runner_->isRunning() && !localPaths(event->mimeData()).isEmpty()) {
    event->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QStringList paths = localPaths(event->mimeData());
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  // One memory file or project opens as such; anything else is corpus text.
  if (paths.size() == 1 && (paths.front().endsWith(QStringLiteral(".mlm")) ||
                            paths.front().endsWith(QStringLiteral(".ibase")))) {
    openMemory(paths.front());
  } else if (paths.size() == 1 && paths.front().endsWith(QStringLiteral(".json"))) {
    openTrace(paths.front());
  } else if (paths.size() == 1 && paths.front().endsWith(QStringLiteral(".memlens"))) {
    openProject(paths.front());
  } else {
    openPaths(paths);
  }
}

}  // namespace memlens::gui
