#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QLineEdit>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>
#include <optional>

#include "generate/generate_widget.h"
#include "generate_controller.h"
#include "main_window.h"
#include "memlens/run_record.h"
#include "memory_controller.h"
#include "train/train_options_widget.h"
#include "window_screenshot.h"

namespace {

std::optional<memlens::Algorithm> algorithmNamed(const QString& name) {
  for (memlens::Algorithm a : {memlens::Algorithm::kIb1, memlens::Algorithm::kIgTree,
                               memlens::Algorithm::kTribl2, memlens::Algorithm::kVectorMemory}) {
    if (name == QLatin1String(memlens::algorithmName(a))) return a;
  }
  return std::nullopt;
}

struct Options {
  QStringList paths;
  QString screenshot;
  QString inspect;       // a context to inspect once trained
  QString compare;       // an algorithm to train a second memory with, for the Compare tab
  QString generate;      // a prompt to continue once trained
  QString tab;           // the tab to show
  QString memoryDelete;  // a stored vector's context to preview deleting on the Memory tab
  bool memory = false;   // wait for the Memory tab to be ready
  bool train = false;
  bool project = false;  // paths is one .memlens file: its opening trains
  bool platformGiven = false;
};

// Parses the command line; returns an exit code when the program should stop here (--help,
// --version, a bad option). Needs a QCoreApplication, which must be gone again before the
// QApplication is made: the GUI one cannot start without a display, --help can.
std::optional<int> parseCommandLine(int argc, char** argv, Options& options) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "MemLens: explore memory-based (TiMBL-style k-NN) language models.\n"
      "Without arguments it opens the KJV demo project (the demo corpus and an IGTree "
      "memory); a .memlens file opens as a project."));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption version = parser.addVersionOption();
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("After the first job has finished, save the window to <file> (PNG) and quit."),
      QStringLiteral("file"));
  parser.addOption(screenshot);
  const QCommandLineOption train(
      QStringLiteral("train"),
      QStringLiteral("Once the corpus is open, train with the last options (with --screenshot: "
                     "save the window after the training instead)."));
  parser.addOption(train);
  const QCommandLineOption inspect(
      QStringLiteral("inspect"),
      QStringLiteral(
          "Implies --train; then inspect <context> on the Inspect tab (with --screenshot: "
          "save the window once it is shown)."),
      QStringLiteral("context"));
  parser.addOption(inspect);
  const QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral(
          "Implies --train; then train again with <algorithm> (ib1, igtree, tribl2, vector) and "
          "show the Compare tab (with --screenshot: save the window after that training)."),
      QStringLiteral("algorithm"));
  parser.addOption(compare);
  const QCommandLineOption generate(
      QStringLiteral("generate"),
      QStringLiteral(
          "Implies --train; then continue <prompt> on the Generate tab (with --screenshot: save "
          "the window once it is shown)."),
      QStringLiteral("prompt"));
  parser.addOption(generate);
  const QCommandLineOption tab(
      QStringLiteral("tab"), QStringLiteral("Show the tab named <name> (e.g. Compare) once done."),
      QStringLiteral("name"));
  parser.addOption(tab);
  const QCommandLineOption memory(
      QStringLiteral("memory"),
      QStringLiteral(
          "Implies --train; then show the Memory tab once the memory is ready to edit (with "
          "--screenshot: save the window then)."));
  parser.addOption(memory);
  const QCommandLineOption memoryDelete(
      QStringLiteral("memory-delete"),
      QStringLiteral("Implies --memory; then preview deleting the stored vector whose context is "
                     "<context> (with --screenshot: save the window once the preview is shown)."),
      QStringLiteral("context"));
  parser.addOption(memoryDelete);
  // Qt's own -platform must get through to QApplication; it also counts as having a display.
  QCommandLineOption platform(QStringLiteral("platform"), QStringLiteral("Qt platform plugin."),
                              QStringLiteral("name"));
  platform.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOption(platform);
  parser.addPositionalArgument(
      QStringLiteral("paths"),
      QStringLiteral("Corpus files and folders to open, or one .memlens project."),
      QStringLiteral("[paths...]"));
  parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);

  if (!parser.parse(QCoreApplication::arguments())) {
    std::fprintf(stderr, "memlens: %s\nTry 'memlens --help'.\n", qPrintable(parser.errorText()));
    return 2;
  }
  // addHelpOption() also adds --help-all, which only process() would handle.
  if (parser.isSet(help) || parser.isSet(QStringLiteral("help-all"))) {
    std::fputs(qPrintable(parser.helpText()), stdout);
    return 0;
  }
  if (parser.isSet(version)) {
    std::printf("memlens %s\n", MEMLENS_VERSION);
    return 0;
  }
  options.paths = parser.positionalArguments();
  // The build makes the demo project; an install without it still has the corpus to open.
  if (options.paths.isEmpty()) {
    options.paths = {QFileInfo::exists(QStringLiteral(MEMLENS_DEMO_PROJECT))
                         ? QStringLiteral(MEMLENS_DEMO_PROJECT)
                         : QStringLiteral(MEMLENS_DEMO_CORPUS)};
  }
  options.project =
      options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".memlens"));
  options.screenshot = parser.value(screenshot);
  options.inspect = parser.value(inspect);
  options.compare = parser.value(compare);
  options.generate = parser.value(generate);
  options.tab = parser.value(tab);
  options.memoryDelete = parser.value(memoryDelete);
  options.memory = parser.isSet(memory) || parser.isSet(memoryDelete);
  options.train = parser.isSet(train) || parser.isSet(inspect) || parser.isSet(compare) ||
                  parser.isSet(generate) || options.memory;
  if (!options.compare.isEmpty() && !algorithmNamed(options.compare)) {
    std::fprintf(stderr,
                 "memlens: --compare: unknown algorithm '%s' (ib1, igtree, tribl2 or vector)\n",
                 qPrintable(options.compare));
    return 2;
  }
  options.platformGiven = parser.isSet(platform);
  return std::nullopt;
}

// Trains a second memory like the first but with `algorithm`.
bool trainAgain(memlens::gui::MainWindow& window, memlens::Algorithm algorithm) {
  auto* form = window.findChild<memlens::views::TrainOptionsWidget*>();
  memlens::ExperimentOptions options = form->options();
  options.classifier.algorithm = algorithm;
  form->setOptions(options);
  return window.startTraining();
}

// Shows `name`'s tab (its label without the mnemonic, any case); false when there is none.
bool showTab(memlens::gui::MainWindow& window, const QString& name) {
  auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("tabs"));
  for (int i = 0; i < tabs->count(); ++i) {
    if (tabs->tabText(i).remove(QLatin1Char('&')).compare(name, Qt::CaseInsensitive) == 0) {
      tabs->setCurrentIndex(i);
      return true;
    }
  }
  return false;
}

bool hasDisplay(const Options& options) {
  return options.platformGiven || qEnvironmentVariableIsSet("QT_QPA_PLATFORM") ||
         !qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

}  // namespace

int main(int argc, char** argv) {
  QCoreApplication::setOrganizationName(QStringLiteral("MemLens"));
  QCoreApplication::setApplicationName(QStringLiteral("memlens"));
  QCoreApplication::setApplicationVersion(QStringLiteral(MEMLENS_VERSION));

  Options options;
  if (const std::optional<int> exitCode = parseCommandLine(argc, argv, options)) return *exitCode;
  // Without this check QApplication aborts with a core dump and a message about xcb plugins.
  if (!hasDisplay(options)) {
    std::fputs(
        "memlens: no display found (DISPLAY and WAYLAND_DISPLAY are empty).\n"
        "Run it under a virtual X server:  xvfb-run -a build/app/memlens\n"
        "or without any window system:     QT_QPA_PLATFORM=offscreen build/app/memlens\n",
        stderr);
    return 1;
  }

  QApplication app(argc, argv);
  memlens::gui::MainWindow window;
  window.show();

  // The load is the first job; --train makes the training the second, and the last one shot;
  // --inspect adds the trace as the third. A load or training that failed leaves nothing to go
  // on with: the shot shows its error instead.
  const int jobs = 1 + (options.train || options.project ? 1 : 0) +
                   (options.inspect.isEmpty() ? 0 : 1) + (options.compare.isEmpty() ? 0 : 1) +
                   (options.generate.isEmpty() ? 0 : 1) + (options.memory ? 1 : 0) +
                   (options.memoryDelete.isEmpty() ? 0 : 1);
  int done = 0;
  auto settled = [&window, &done, jobs, &options] {
    ++done;
    if (done == 1 && options.train && !options.project && !window.startTraining()) done = jobs;
    if (done == 2 && !options.inspect.isEmpty() && !window.inspectContext(options.inspect)) {
      done = jobs;
    }
    if (done == 2 && !options.compare.isEmpty() &&
        !trainAgain(window, *algorithmNamed(options.compare))) {
      done = jobs;
    }
    if (done == 2 && !options.generate.isEmpty()) {
      window.findChild<memlens::views::GenerateWidget*>()->promptEdit()->setText(options.generate);
      window.findChild<memlens::gui::GenerateController*>()->generate();
      showTab(window, QStringLiteral("Generate"));
    }
    // --memory: the Memory tab's preparation settles third, the deletion's preview fourth.
    if (done == 3 && !options.memoryDelete.isEmpty() &&
        !window.findChild<memlens::gui::MemoryController*>()->previewDeletion(
            options.memoryDelete)) {
      std::fprintf(stderr, "memlens: --memory-delete: no stored vector '%s'\n",
                   qPrintable(options.memoryDelete));
      done = jobs;
    }
    if (done < jobs) return;
    if (!options.compare.isEmpty()) showTab(window, QStringLiteral("Compare"));
    if (options.memory) showTab(window, QStringLiteral("Memory"));
    if (!options.tab.isEmpty() && !showTab(window, options.tab)) {
      std::fprintf(stderr, "memlens: --tab: no tab named '%s'\n", qPrintable(options.tab));
    }
    if (options.screenshot.isEmpty()) return;
    const QString file = options.screenshot;
    // Let the layouts and the chart settle into their final geometry first.
    QTimer::singleShot(500, &window, [&window, file] {
      const bool saved = memlens::gui::saveWindowScreenshot(window, file);
      if (!saved) std::fprintf(stderr, "memlens: could not write %s\n", qPrintable(file));
      QCoreApplication::exit(saved ? 0 : 1);
    });
  };
  QObject::connect(&window, &memlens::gui::MainWindow::jobSettled, &window, settled);
  QObject::connect(&window, &memlens::gui::MainWindow::inspected, &window, settled);
  QObject::connect(window.findChild<memlens::gui::GenerateController*>(),
                   &memlens::gui::GenerateController::settled, &window, settled);
  if (options.memory) {
    QObject::connect(window.findChild<memlens::gui::MemoryController*>(),
                     &memlens::gui::MemoryController::settled, &window, settled);
  }

  if (options.project) {
    window.openProject(options.paths.front());
  } else {
    window.openPaths(options.paths);
  }
  return QApplication::exec();
}
