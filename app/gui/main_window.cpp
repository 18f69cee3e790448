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
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>
#include <array>
#include <string>
#include <vector>

#include "corpus_stats_widget.h"
#include "job_runner.h"
#include "memlens/corpus_stats.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::gui {

namespace {

constexpr int kMaxRecent = 8;
const QString kRecentKey = QStringLiteral("recentCorpora");
const QString kTokeniserKey = QStringLiteral("tokeniser");
const QString kGeometryKey = QStringLiteral("mainWindow/geometry");
const QString kStateKey = QStringLiteral("mainWindow/state");
const QString kStatsLayoutKey = QStringLiteral("mainWindow/statsLayout");

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
  int tokeniser = 0;
  QElapsedTimer timer;
  std::shared_ptr<const CorpusStats> stats;  // set by the worker on success
};

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      runner_(new views::JobRunner(this)),
      statsWidget_(new views::CorpusStatsWidget(this)) {
  setCentralWidget(statsWidget_);
  setAcceptDrops(true);
  setWindowTitle(QStringLiteral("MemLens"));
  createActions();
  createStatusBar();
  connect(runner_, &views::JobRunner::progress, this, &MainWindow::onProgress);
  connect(runner_, &views::JobRunner::finished, this, &MainWindow::onJobFinished);

  QSettings settings;
  if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) resize(1200, 800);
  restoreState(settings.value(kStateKey).toByteArray());
  statsWidget_->restoreState(settings.value(kStatsLayoutKey).toByteArray());
  setBusy(false);
  statusBar()->showMessage(tr("Open a corpus with File ▸ Open, or drop files here."));
}

// Out of line: PendingLoad is complete only here.
MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
  QAction* openFiles =
      fileMenu->addAction(tr("&Open Corpus Files…"), this, &MainWindow::openFilesDialog);
  openFiles->setShortcut(QKeySequence::Open);
  QAction* openFolder =
      fileMenu->addAction(tr("Open Corpus &Folder…"), this, &MainWindow::openFolderDialog);
  openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  recentMenu_ = fileMenu->addMenu(tr("Open &Recent"));
  fileMenu->addSeparator();
  QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
  quit->setMenuRole(QAction::QuitRole);
  openActions_ = {openFiles, openFolder, recentMenu_->menuAction()};
  rebuildRecentMenu();

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
  tokeniserLabel->setBuddy(tokeniserBox_);
  const QString saved = QSettings().value(kTokeniserKey).toString();
  for (const TokeniserChoice& choice : kTokenisers) {
    tokeniserBox_->addItem(tr(choice.label));
    if (saved == QLatin1String(choice.settingsName)) {
      tokeniserBox_->setCurrentIndex(tokeniserBox_->count() - 1);
    }
  }
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
}

void MainWindow::createStatusBar() {
  stageLabel_ = new QLabel(this);
  progressBar_ = new QProgressBar(this);
  progressBar_->setRange(0, 1000);
  progressBar_->setFixedWidth(220);
  progressBar_->setTextVisible(false);
  cancelButton_ = new QToolButton(this);
  cancelButton_->setDefaultAction(cancelAction_);
  cancelButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  statusBar()->addPermanentWidget(stageLabel_);
  statusBar()->addPermanentWidget(progressBar_);
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
  options.lowercase = kTokenisers[tokeniserBox_->currentIndex()].lowercase;
  return options;
}

void MainWindow::openPaths(const QStringList& paths) {
  if (paths.isEmpty()) return;
  if (runner_->isRunning()) {
    statusBar()->showMessage(tr("Busy: %1. Cancel it first.").arg(runner_->title()), 5000);
    return;
  }
  auto pending = std::make_shared<PendingLoad>();
  pending->tokeniser = tokeniserBox_->currentIndex();
  std::vector<std::string> corePaths;
  for (const QString& path : paths) {
    pending->paths.append(QFileInfo(path).absoluteFilePath());
    corePaths.push_back(QFile::encodeName(pending->paths.back()).toStdString());
  }
  pending->timer.start();
  const TokeniserOptions options = tokeniserOptions();
  // The lambda holds its own reference: the worker writes `stats` into it, and the window reads
  // it in onJobFinished(), after the worker has ended.
  runner_->run(tr("opening %1").arg(describePaths(paths)),
               [pending, corePaths, options](JobControl& job) -> Status {
                 auto loaded = TokenisedCorpus::load(corePaths, options, {}, &job);
                 if (!loaded) return loaded.status();
                 job.report(0.0, "computing statistics");
                 const TokenisedCorpus& corpus = **loaded;
                 pending->stats = std::make_shared<const CorpusStats>(
                     CorpusStats::compute(*corpus.corpus, corpus.tokens, corpus.vocab));
                 return Status::ok();
               });
  pending_ = std::move(pending);
  setBusy(true);
  statusBar()->clearMessage();
  stageLabel_->setText(tr("Opening %1…").arg(describePaths(paths)));
}

void MainWindow::reloadWithNewTokeniser() {
  QSettings().setValue(kTokeniserKey,
                       QLatin1String(kTokenisers[tokeniserBox_->currentIndex()].settingsName));
  if (!shownPaths_.isEmpty()) openPaths(shownPaths_);
}

void MainWindow::setBusy(bool busy) {
  for (QAction* action : openActions_) action->setEnabled(!busy);
  tokeniserBox_->setEnabled(!busy);
  cancelAction_->setEnabled(busy);
  stageLabel_->setVisible(busy);
  progressBar_->setVisible(busy);
  cancelButton_->setVisible(busy);
  progressBar_->setValue(0);
}

void MainWindow::onProgress(double fraction, const QString& stage) {
  progressBar_->setValue(static_cast<int>(fraction * 1000.0));
  if (!stage.isEmpty()) stageLabel_->setText(stage);
}

void MainWindow::onJobFinished(const Status& status) {
  const std::shared_ptr<PendingLoad> load = std::move(pending_);
  setBusy(false);
  if (status.isOk()) {
    statsWidget_->setSnapshot(load->stats);
    shownPaths_ = load->paths;
    shownTokeniser_ = load->tokeniser;
    addRecent(load->paths);
    setWindowTitle(tr("%1 — MemLens").arg(describePaths(load->paths)));
    const CorpusStats& s = *load->stats;
    statusBar()->showMessage(
        tr("Opened %1 in %2 s: %3 tokens, %4 types.")
            .arg(describePaths(load->paths))
            .arg(QLocale().toString(static_cast<double>(load->timer.elapsed()) / 1000.0, 'f', 1))
            .arg(QLocale().toString(static_cast<qulonglong>(s.tokens)))
            .arg(QLocale().toString(static_cast<qulonglong>(s.types))));
  } else {
    // The corpus on screen stays; so must the tokeniser choice it was made with.
    const QSignalBlocker blocker(tokeniserBox_);
    tokeniserBox_->setCurrentIndex(shownTokeniser_);
    if (status.isCancelled()) {
      statusBar()->showMessage(tr("Cancelled opening %1.").arg(describePaths(load->paths)), 8000);
    } else {
      statusBar()->clearMessage();
      // Not exec(): the window keeps repainting and the caller is not re-entered.
      auto* box = new QMessageBox(QMessageBox::Warning, tr("Could not open the corpus"),
                                  tr("MemLens could not open %1.").arg(describePaths(load->paths)),
                                  QMessageBox::Ok, this);
      box->setInformativeText(QString::fromStdString(status.message()));
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->open();
    }
  }
  Q_EMIT jobSettled();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QVariantList recent = QSettings().value(kRecentKey).toList();
  for (const QVariant& entry : recent) {
    const QStringList paths = entry.toStringList();
    if (paths.isEmpty()) continue;
    QAction* action = recentMenu_->addAction(describePaths(paths));
    action->setToolTip(paths.join(QLatin1Char('\n')));
    action->setStatusTip(paths.join(QStringLiteral(", ")));
    connect(action, &QAction::triggered, this, [this, paths] { openPaths(paths); });
  }
  if (recentMenu_->isEmpty()) {
    recentMenu_->addAction(tr("No recent corpora"))->setEnabled(false);
    return;
  }
  recentMenu_->addSeparator();
  recentMenu_->addAction(tr("Clear Recent"), this, [this] {
    QSettings().remove(kRecentKey);
    rebuildRecentMenu();
  });
}

void MainWindow::addRecent(const QStringList& paths) {
  QSettings settings;
  QVariantList recent = settings.value(kRecentKey).toList();
  recent.removeAll(QVariant(paths));
  recent.prepend(QVariant(paths));
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue(kRecentKey, recent);
  rebuildRecentMenu();
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
  QSettings settings;
  settings.setValue(kGeometryKey, saveGeometry());
  settings.setValue(kStateKey, saveState());
  settings.setValue(kStatsLayoutKey, statsWidget_->saveState());
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
  openPaths(paths);
}

}  // namespace memlens::gui
