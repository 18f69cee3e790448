// memlens-screenshots: opens the real MemLens window, drives it through its widgets the way a
// user would (tests/common/window_steps.h, shared with the app tests), and saves it as a PNG.
// make_screenshots.sh runs it once per shot; the memlens program itself has no scripting options.
#include <QAbstractItemModel>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSize>
#include <QSlider>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <cstdio>
#include <optional>

#include "generate_controller.h"
#include "main_window.h"
#include "memlens/option_names.h"
#include "memlens/pruning.h"
#include "memory/memory_table_model.h"
#include "memory_controller.h"
#include "train/train_options_widget.h"
#include "window_screenshot.h"
#include "window_steps.h"

namespace {

using memlens::gui::MainWindow;

// Long enough for the slowest step, an IB1 training on the KJV under a busy machine.
constexpr int kStepTimeoutMs = 15 * 60 * 1000;

struct Options {
  QStringList paths;
  QString screenshot;
  QString inspect;  // a context to inspect once trained
  int replay = 0;   // > 0: then inspect it against the memory of this many training instances
  std::optional<memlens::Algorithm> compare;  // trains a second memory for the Compare tab
  QString generate;                           // a prompt to continue once trained
  QString tab;                                // the tab to show last
  QSize size;                                 // valid: the window's size instead of its own
  QString memoryDelete;    // a stored vector's context to preview deleting on the Memory tab
  int memoryPrefix = 0;    // > 0: preview keeping the first this many instances (replay)
  int memoryMinCount = 0;  // > 1: preview the count-threshold pruning at this threshold
  std::optional<bool> keepWeights;  // the Memory tab's feature-weights mode, before any preview
  QString memoryFilter;             // a token to filter the Memory table by
  bool memoryCommit = false;        // commit the last preview
  bool memoryReadied = false;       // then wait for the drag readied in the background
  bool running = false;             // shoot the last Memory-tab step while it runs
  bool memory = false;              // wait for the Memory tab to be ready
  bool noEvaluation = false;        // an opened memory's evaluation is cancelled once it is ready
  bool train = false;
  int liveUpdates = 0;      // > 0: the shot while the first training's evaluation still runs
  bool project = false;     // paths is one .memlens file: its opening trains or reads its memory
  bool memoryFile = false;  // paths is one .mlm memory file or .ibase TiMBL instance base
  bool timblBase = false;   // paths is one .ibase: opened, it is not evaluated (no run)
  bool traceFile = false;   // paths is one .json trace, shown on Inspect with no memory
};

// Returns an exit code when the program should stop here (--help, a bad option).
std::optional<int> parseCommandLine(const QStringList& arguments, Options& options) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Opens PATHS in the MemLens window, takes the steps asked for, saves the window to FILE "
      "(PNG) once every step has settled and quits. A step that fails (a load, a training) "
      "leaves the rest undone: the shot shows its error."));
  parser.addHelpOption();
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Where to save the window (required)."),
                                      QStringLiteral("file"));
  const QCommandLineOption train(QStringLiteral("train"),
                                 QStringLiteral("Train with the last options (the Train button)."));
  const QCommandLineOption inspect(QStringLiteral("inspect"),
                                   QStringLiteral("Implies --train; then inspect <context>."),
                                   QStringLiteral("context"));
  const QCommandLineOption replay(
      QStringLiteral("replay"),
      QStringLiteral("With --inspect: then move the Replay slider to the memory of the first "
                     "<instances> training instances."),
      QStringLiteral("instances"));
  const QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral("Implies --train; then train again with <algorithm> (e.g. ib1) and show "
                     "the Compare tab."),
      QStringLiteral("algorithm"));
  const QCommandLineOption generate(
      QStringLiteral("generate"),
      QStringLiteral("Implies --train; then continue <prompt> on the Generate tab."),
      QStringLiteral("prompt"));
  const QCommandLineOption tab(QStringLiteral("tab"),
                               QStringLiteral("Show the tab named <name> (e.g. Compare) last."),
                               QStringLiteral("name"));
  const QCommandLineOption size(QStringLiteral("size"),
                                QStringLiteral("Resize the window to <width>x<height> first."),
                                QStringLiteral("size"));
  const QCommandLineOption memory(
      QStringLiteral("memory"),
      QStringLiteral("Implies --train unless PATHS is a project; then show the Memory tab once "
                     "the memory is ready to edit."));
  const QCommandLineOption memoryDelete(
      QStringLiteral("memory-delete"),
      QStringLiteral("Implies --memory; then preview deleting the stored vector whose context is "
                     "<context>."),
      QStringLiteral("context"));
  const QCommandLineOption memoryPrefix(
      QStringLiteral("memory-prefix"),
      QStringLiteral("Implies --memory; then preview the prefix pruning that keeps the first "
                     "<instances> training instances (the memory as it was then)."),
      QStringLiteral("instances"));
  const QCommandLineOption memoryMinCount(
      QStringLiteral("memory-min-count"),
      QStringLiteral("Implies --memory; then preview the count-threshold pruning: stored vectors "
                     "holding fewer than <instances> instances go."),
      QStringLiteral("instances"));
  const QCommandLineOption memoryWeights(
      QStringLiteral("memory-weights"),
      QStringLiteral("Implies --memory; first choose the Memory tab's feature weights: kept or "
                     "recomputed."),
      QStringLiteral("mode"));
  const QCommandLineOption memoryFilter(
      QStringLiteral("memory-filter"),
      QStringLiteral("Implies --memory; then filter the Memory table by <token> (Enter)."),
      QStringLiteral("token"));
  const QCommandLineOption memoryCommit(
      QStringLiteral("memory-commit"),
      QStringLiteral("Implies --memory; after the previews asked for, press Commit."));
  const QCommandLineOption memoryReadied(
      QStringLiteral("memory-readied"),
      QStringLiteral("Implies --memory-commit; then wait until the count-threshold drag readied in "
                     "the background after it is ready (without it, a big memory's shot shows it "
                     "being readied)."));
  const QCommandLineOption running(
      QStringLiteral("running"),
      QStringLiteral("Take the shot while the last Memory-tab step asked for (a preview or "
                     "--memory-commit) still runs, its progress and Cancel shown, instead of "
                     "once it has settled; the step is then cancelled."));
  const QCommandLineOption live(
      QStringLiteral("live"),
      QStringLiteral("Implies --train; go on from the training as soon as the memory is ready "
                     "and <updates> live metrics have been shown, so the shot is taken while the "
                     "run is evaluated; prints the seconds from Train to the memory and to the "
                     "first live metrics."),
      QStringLiteral("updates"));
  const QCommandLineOption noEvaluation(
      QStringLiteral("no-evaluation"),
      QStringLiteral("With a memory file: cancel its evaluation (Esc) once the memory is ready "
                     "instead of waiting for its run and learning curve (long at 100M "
                     "instances)."));
  parser.addOptions({screenshot, train, inspect, replay, compare, generate, tab, size, memory,
                     memoryDelete, memoryPrefix, memoryMinCount, memoryWeights, memoryFilter,
                     memoryCommit, memoryReadied, running, live, noEvaluation});
  parser.addPositionalArgument(
      QStringLiteral("paths"),
      QStringLiteral("Corpus files and folders to open, one .memlens project, one .mlm memory "
                     "or .ibase instance base, or one .json trace."),
      QStringLiteral("paths..."));
  if (!parser.parse(arguments)) {
    std::fprintf(stderr, "memlens-screenshots: %s\n", qPrintable(parser.errorText()));
    return 2;
  }
  if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) {
    std::fputs(qPrintable(parser.helpText()), stdout);
    return 0;
  }
  options.paths = parser.positionalArguments();
  options.project =
      options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".memlens"));
  options.timblBase =
      options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".ibase"));
  options.memoryFile =
      options.timblBase ||
      (options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".mlm")));
  options.traceFile =
      options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".json"));
  options.screenshot = parser.value(screenshot);
  if (options.paths.isEmpty() || options.screenshot.isEmpty()) {
    std::fputs("memlens-screenshots: give the paths to open and --screenshot FILE\n", stderr);
    return 2;
  }
  options.inspect = parser.value(inspect);
  if (parser.isSet(replay)) {
    options.replay = parser.value(replay).toInt();
    if (options.replay < 1 || options.inspect.isEmpty()) {
      std::fputs("memlens-screenshots: --replay takes 1 or more instances, and --inspect\n",
                 stderr);
      return 2;
    }
  }
  if (parser.isSet(compare)) {
    options.compare = memlens::optionNamed<memlens::Algorithm>(parser.value(compare).toStdString());
    if (!options.compare) {
      std::fprintf(stderr, "memlens-screenshots: --compare: unknown algorithm '%s' (%s)\n",
                   qPrintable(parser.value(compare)),
                   memlens::optionChoices<memlens::Algorithm>().c_str());
      return 2;
    }
  }
  options.generate = parser.value(generate);
  options.tab = parser.value(tab);
  if (parser.isSet(size)) {
    const QStringList wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() == 2) options.size = QSize(wh[0].toInt(), wh[1].toInt());
    if (options.size.width() < 1 || options.size.height() < 1) {
      std::fputs("memlens-screenshots: --size takes WIDTHxHEIGHT, e.g. 1000x700\n", stderr);
      return 2;
    }
  }
  options.memoryDelete = parser.value(memoryDelete);
  options.memoryPrefix = parser.isSet(memoryPrefix) ? parser.value(memoryPrefix).toInt() : 0;
  if (parser.isSet(memoryPrefix) && options.memoryPrefix < 1) {
    std::fputs("memlens-screenshots: --memory-prefix takes 1 or more instances\n", stderr);
    return 2;
  }
  options.memoryMinCount = parser.isSet(memoryMinCount) ? parser.value(memoryMinCount).toInt() : 0;
  if (parser.isSet(memoryMinCount) && options.memoryMinCount < 2) {
    std::fputs("memlens-screenshots: --memory-min-count takes 2 or more instances\n", stderr);
    return 2;
  }
  if (parser.isSet(memoryWeights)) {
    const QString mode = parser.value(memoryWeights);
    if (mode != QLatin1String("kept") && mode != QLatin1String("recomputed")) {
      std::fputs("memlens-screenshots: --memory-weights takes kept or recomputed\n", stderr);
      return 2;
    }
    options.keepWeights = mode == QLatin1String("kept");
  }
  options.memoryFilter = parser.value(memoryFilter);
  options.memoryReadied = parser.isSet(memoryReadied);
  options.memoryCommit = parser.isSet(memoryCommit) || options.memoryReadied;
  options.running = parser.isSet(running);
  if (options.running && (!options.memoryFilter.isEmpty() ||
                          !(options.memoryCommit || !options.memoryDelete.isEmpty() ||
                            options.memoryPrefix > 0 || options.memoryMinCount > 0))) {
    std::fputs(
        "memlens-screenshots: --running takes a Memory-tab step to shoot (--memory-delete, "
        "--memory-prefix, --memory-min-count or --memory-commit) and no --memory-filter\n",
        stderr);
    return 2;
  }
  options.memory = parser.isSet(memory) || parser.isSet(memoryDelete) || options.memoryPrefix > 0 ||
                   options.memoryMinCount > 0 || options.keepWeights ||
                   !options.memoryFilter.isEmpty() || options.memoryCommit;
  options.noEvaluation = parser.isSet(noEvaluation);
  if (parser.isSet(live)) {
    options.liveUpdates = parser.value(live).toInt();
    if (options.liveUpdates < 1) {
      std::fputs("memlens-screenshots: --live takes a number of updates, 1 or more\n", stderr);
      return 2;
    }
  }
  options.train = options.liveUpdates > 0 || parser.isSet(train) || parser.isSet(inspect) ||
                  parser.isSet(compare) || parser.isSet(generate) || options.memory;
  return std::nullopt;
}

// Waits until `spy` has seen `count` signals in all; false on a timeout.
bool settled(QSignalSpy& spy, int count) {
  while (spy.count() < count) {
    if (!spy.wait(kStepTimeoutMs)) return false;
  }
  return true;
}

// The rows of the runs table on Train & Evaluate: one more after every training that succeeded.
int runCount(MainWindow& window) {
  return window.findChild<QTableView*>(QStringLiteral("runTable"))->model()->rowCount();
}

// Opens the paths; a project or a memory file until its memory is ready to inspect (printing
// how long that took), its evaluation still running. False when there is no memory to go on with.
bool open(MainWindow& window, const Options& options, QSignalSpy& jobs) {
  QSignalSpy ready(&window, &MainWindow::memoryReady);
  QElapsedTimer clock;
  clock.start();
  if (options.project) {
    window.openProject(options.paths.front());
  } else if (options.memoryFile) {
    window.openMemory(options.paths.front());
  } else if (options.traceFile) {
    QSignalSpy inspected(&window, &MainWindow::inspected);
    window.openTrace(options.paths.front());
    return settled(inspected, 1);
  } else {
    window.openPaths(options.paths);
    return settled(jobs, 1);
  }
  if (!settled(ready, 1)) return false;
  std::printf("memlens-screenshots: memory ready to inspect %.2f s after opening\n",
              static_cast<double>(clock.elapsed()) / 1000.0);
  std::fflush(stdout);
  return true;
}

// After open(): the opened memory's evaluation and learning curve have ended in a run.
bool opened(MainWindow& window, QSignalSpy& jobs, int runs) {
  while (runCount(window) <= runs)
    if (!jobs.wait(kStepTimeoutMs)) return false;
  return true;
}

// Trains with the options on the form; false when the training did not start or failed (its run
// is missing from the runs table).
bool train(MainWindow& window, QSignalSpy& jobs) {
  const int runs = runCount(window), seen = static_cast<int>(jobs.count());
  return memlens::steps::startTraining(window) && settled(jobs, seen + 1) &&
         runCount(window) > runs;
}

// Trains with the options on the form and returns once the memory is ready to inspect and
// `updates` live metrics have been on the Train page, the evaluation still running; prints when
// the memory and the first metrics came.
bool trainLive(MainWindow& window, int updates) {
  QSignalSpy ready(&window, &MainWindow::memoryReady);
  QSignalSpy live(&window, &MainWindow::evaluationUpdated);
  QElapsedTimer clock;
  clock.start();
  if (!memlens::steps::startTraining(window) || !settled(ready, 1)) return false;
  const double readyAt = static_cast<double>(clock.elapsed()) / 1000.0;
  if (!settled(live, 1)) return false;
  const double liveAt = static_cast<double>(clock.elapsed()) / 1000.0;
  std::printf(
      "memlens-screenshots: ready to inspect %.2f s after Train; first live metrics %.2f s after "
      "Train, %.2f s after the memory was ready\n",
      readyAt, liveAt, liveAt - readyAt);
  std::fflush(stdout);
  return settled(live, updates);
}

bool inspect(MainWindow& window, const QString& context) {
  QSignalSpy inspected(&window, &MainWindow::inspected);
  auto* edit = window.findChild<QLineEdit*>(QStringLiteral("inspectContext"));
  memlens::steps::showTabOf(window, edit);
  edit->setText(context);
  QTest::keyClick(edit, Qt::Key_Return);
  return settled(inspected, 1);
}

bool replay(MainWindow& window, int instances) {
  QSignalSpy inspected(&window, &MainWindow::inspected);
  window.findChild<QSlider*>(QStringLiteral("inspectReplay"))->setValue(instances);
  return settled(inspected, 1);
}

bool generate(MainWindow& window, const QString& prompt) {
  QSignalSpy generated(window.findChild<memlens::gui::GenerateController*>(),
                       &memlens::gui::GenerateController::settled);
  auto* edit = window.findChild<QLineEdit*>(QStringLiteral("generatePrompt"));
  memlens::steps::showTabOf(window, edit);
  edit->setText(prompt);
  window.findChild<QPushButton*>(QStringLiteral("generateButton"))->click();
  return settled(generated, 1);
}

// Waits until the Memory tab takes edits: the memory is prepared again when its evaluation ends
// (a memory file's runs in the background), and its buttons are off until then.
bool memoryIdle(MainWindow& window, QSignalSpy& edits) {
  const auto* controller = window.findChild<memlens::gui::MemoryController*>();
  while (controller->isRunning()) {
    if (!edits.wait(kStepTimeoutMs)) return false;
  }
  return true;
}

// After a Memory-tab step started (`edits` had seen `seen` steps): waits until it settles, or
// with `settle` false, returns while it runs (false when it ended at once: no shot of it running).
bool awaitStep(MainWindow& window, QSignalSpy& edits, int seen, bool settle) {
  if (settle) return settled(edits, seen + 1);
  if (window.findChild<memlens::gui::MemoryController*>()->isRunning()) return true;
  std::fputs("memlens-screenshots: --running: the step ended before the shot\n", stderr);
  return false;
}

// Previews deleting the stored vector whose context is `context`; `edits` has seen the
// preparation of the Memory tab.
bool previewDeletion(MainWindow& window, const QString& context, QSignalSpy& edits, bool settle) {
  if (!memoryIdle(window, edits)) return false;
  const int seen = static_cast<int>(edits.count());
  if (!memlens::steps::previewDeletion(window, context)) {
    std::fprintf(stderr, "memlens-screenshots: --memory-delete: no stored vector '%s'\n",
                 qPrintable(context));
    return false;
  }
  return awaitStep(window, edits, seen, settle);
}

// Previews the prefix pruning of the Prune panel that keeps the first `instances` instances.
bool previewPrefix(MainWindow& window, int instances, QSignalSpy& edits, bool settle) {
  if (!memoryIdle(window, edits)) return false;
  const int seen = static_cast<int>(edits.count());
  auto* strategy = window.findChild<QComboBox*>(QStringLiteral("pruneStrategy"));
  strategy->setCurrentIndex(strategy->findText(QStringLiteral("prefix")));
  window.findChild<QSpinBox*>(QStringLiteral("pruneInstances"))->setValue(instances);
  window.findChild<QPushButton*>(QStringLiteral("prunePreview"))->click();
  return awaitStep(window, edits, seen, settle);
}

// Previews the count-threshold pruning of the Prune panel at `minCount`.
bool previewMinCount(MainWindow& window, int minCount, QSignalSpy& edits, bool settle) {
  if (!memoryIdle(window, edits)) return false;
  const int seen = static_cast<int>(edits.count());
  auto* strategy = window.findChild<QComboBox*>(QStringLiteral("pruneStrategy"));
  strategy->setCurrentIndex(
      strategy->findData(static_cast<int>(memlens::PruneStrategy::kCountThreshold)));
  window.findChild<QSpinBox*>(QStringLiteral("pruneMinCount"))->setValue(minCount);
  window.findChild<QPushButton*>(QStringLiteral("prunePreview"))->click();
  return awaitStep(window, edits, seen, settle);
}

// Commits the preview shown.
bool commit(MainWindow& window, QSignalSpy& edits, bool settle) {
  if (!memoryIdle(window, edits)) return false;
  auto* button = window.findChild<QPushButton*>(QStringLiteral("memoryCommit"));
  if (!button->isEnabled()) {
    std::fputs("memlens-screenshots: --memory-commit: no preview to commit\n", stderr);
    return false;
  }
  const int seen = static_cast<int>(edits.count());
  button->click();
  return awaitStep(window, edits, seen, settle);
}

// Waits until the Memory tab's background readying of the count-threshold drag has ended.
bool readied(MainWindow& window) {
  auto* controller = window.findChild<memlens::gui::MemoryController*>();
  if (!controller->isReadying()) return true;
  QSignalSpy ended(controller, &memlens::gui::MemoryController::readyingEnded);
  QElapsedTimer clock;
  clock.start();
  if (!ended.wait(kStepTimeoutMs)) return false;
  std::printf("memlens-screenshots: the drag readied %.2f s after the step settled\n",
              static_cast<double>(clock.elapsed()) / 1000.0);
  std::fflush(stdout);
  return true;
}

// Chooses the feature-weights mode as a user would; a change prepares the memory again.
bool chooseWeights(MainWindow& window, bool keep, QSignalSpy& edits) {
  if (!memoryIdle(window, edits)) return false;
  auto* mode = window.findChild<QComboBox*>(QStringLiteral("memoryWeightsMode"));
  const int index = mode->findData(keep);
  if (mode->currentIndex() == index) return true;
  // A project's mode, or one with edits in effect, does not switch: nothing would settle.
  if (!mode->isEnabled()) {
    std::fprintf(stderr, "memlens-screenshots: --memory-weights: the mode cannot switch here: %s\n",
                 qPrintable(mode->toolTip()));
    return false;
  }
  const int seen = static_cast<int>(edits.count());
  mode->setCurrentIndex(index);
  Q_EMIT mode->activated(index);
  return settled(edits, seen + 1);
}

// Filters the Memory table by `token` and waits for its rows (picked on a worker when big).
bool filterMemory(MainWindow& window, const QString& token) {
  auto* filter = window.findChild<QLineEdit*>(QStringLiteral("memoryFilter"));
  auto* model = qobject_cast<memlens::views::MemoryTableModel*>(
      window.findChild<QTableView*>(QStringLiteral("memoryTable"))->model());
  QSignalSpy done(model, &memlens::views::MemoryTableModel::pickingDone);
  filter->setText(token);
  QTest::keyClick(filter, Qt::Key_Return);
  if (model->isPicking() && !done.wait(kStepTimeoutMs)) {
    std::fputs("memlens-screenshots: --memory-filter: the rows were not picked\n", stderr);
    return false;
  }
  return true;
}

// The steps asked for, in order; stops at the first that fails, leaving its error on screen.
void drive(MainWindow& window, const Options& options) {
  QSignalSpy jobs(&window, &MainWindow::jobSettled);
  QSignalSpy edits(window.findChild<memlens::gui::MemoryController*>(),
                   &memlens::gui::MemoryController::settled);
  const int runs = runCount(window);
  QElapsedTimer clock;
  clock.start();
  if (!open(window, options, jobs)) return;
  const bool openedMemory = options.project || options.memoryFile;
  if (options.train && !openedMemory &&
      !(options.liveUpdates > 0 ? trainLive(window, options.liveUpdates) : train(window, jobs)))
    return;
  if (!options.inspect.isEmpty()) {
    if (!inspect(window, options.inspect)) return;
    std::printf("memlens-screenshots: inspected %.2f s after opening\n",
                static_cast<double>(clock.elapsed()) / 1000.0);
    std::fflush(stdout);
    if (options.replay > 0 && !replay(window, options.replay)) return;
  }
  if (openedMemory && options.noEvaluation) {
    const int seen = static_cast<int>(jobs.count());
    bool cancelled = false;
    for (QAction* a : window.actions()) {
      if (a->shortcut() != QKeySequence(Qt::Key_Escape) || !a->isEnabled()) continue;
      a->trigger();
      cancelled = true;
    }
    if (cancelled && !settled(jobs, seen + 1)) return;
  } else if (options.timblBase ? !settled(jobs, 1) : openedMemory && !opened(window, jobs, runs)) {
    return;
  }
  if (options.compare) {
    auto* form = window.findChild<memlens::views::TrainOptionsWidget*>();
    memlens::ExperimentOptions trainOptions = form->options();
    trainOptions.classifier.algorithm = *options.compare;
    form->setOptions(trainOptions);
    if (!train(window, jobs)) return;
  }
  if (!options.generate.isEmpty() && !generate(window, options.generate)) return;
  if (options.memory) {
    if (!settled(edits, 1)) return;
    // With --running, the last of these steps asked for is left running.
    const bool settleDeletion = !options.running || options.memoryPrefix > 0 ||
                                options.memoryMinCount > 0 || options.memoryCommit;
    const bool settlePrefix =
        !options.running || options.memoryMinCount > 0 || options.memoryCommit;
    const bool settleMinCount = !options.running || options.memoryCommit;
    // The mode first, as a user would: switching it prepares the memory again, which drops a
    // preview shown (a deletion previewed before it was left with nothing to commit).
    if (options.keepWeights && !chooseWeights(window, *options.keepWeights, edits)) return;
    if (!options.memoryDelete.isEmpty() &&
        !previewDeletion(window, options.memoryDelete, edits, settleDeletion))
      return;
    if (options.memoryPrefix > 0 &&
        !previewPrefix(window, options.memoryPrefix, edits, settlePrefix))
      return;
    if (options.memoryMinCount > 0 &&
        !previewMinCount(window, options.memoryMinCount, edits, settleMinCount))
      return;
    if (options.memoryCommit && !commit(window, edits, !options.running)) return;
    if (options.memoryReadied && !readied(window)) return;
    if (!options.memoryFilter.isEmpty() && !filterMemory(window, options.memoryFilter)) return;
  }
  if (options.compare) memlens::steps::showTab(window, QStringLiteral("Compare"));
  if (options.memory) memlens::steps::showTab(window, QStringLiteral("Memory"));
  if (!options.tab.isEmpty() && !memlens::steps::showTab(window, options.tab)) {
    std::fprintf(stderr, "memlens-screenshots: --tab: no tab named '%s'\n",
                 qPrintable(options.tab));
  }
}

}  // namespace

int main(int argc, char** argv) {
  // The same settings as the memlens program, which make_screenshots.sh sets up per shot.
  QCoreApplication::setOrganizationName(QStringLiteral("MemLens"));
  QCoreApplication::setApplicationName(QStringLiteral("memlens"));
  // make_screenshots.sh runs it under xvfb-run; without any display it still runs, offscreen.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
      qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }
  QApplication app(argc, argv);
  Options options;
  if (const std::optional<int> exitCode = parseCommandLine(QApplication::arguments(), options)) {
    return *exitCode;
  }
  MainWindow window;
  if (options.size.isValid()) window.resize(options.size);
  window.show();
  drive(window, options);
  // Let the layouts and the charts settle into their final geometry first (a running step only
  // its layout: it would end).
  QTest::qWait(options.running ? 50 : 500);
  if (!memlens::screenshots::saveWindowScreenshot(window, options.screenshot)) {
    std::fprintf(stderr, "memlens-screenshots: could not write %s\n",
                 qPrintable(options.screenshot));
    return 1;
  }
  return 0;
}
