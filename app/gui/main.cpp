#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <cstdio>
#include <optional>

#include "main_window.h"
#include "window_screenshot.h"

namespace {

struct Options {
  QStringList paths;
  QString screenshot;
  QString inspect;  // a context to inspect once trained
  bool train = false;
  bool platformGiven = false;
};

// Parses the command line; returns an exit code when the program should stop here (--help,
// --version, a bad option). Needs a QCoreApplication, which must be gone again before the
// QApplication is made: the GUI one cannot start without a display, --help can.
std::optional<int> parseCommandLine(int argc, char** argv, Options& options) {
  QCoreApplication app(argc, argv);
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("MemLens: explore memory-based (TiMBL-style k-NN) language models.\n"
                     "Without arguments it opens the KJV demo corpus."));
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
      QStringLiteral("Implies --train; then inspect <context> on the Inspect tab (with --screenshot: "
                     "save the window once it is shown)."),
      QStringLiteral("context"));
  parser.addOption(inspect);
  // Qt's own -platform must get through to QApplication; it also counts as having a display.
  QCommandLineOption platform(QStringLiteral("platform"), QStringLiteral("Qt platform plugin."),
                              QStringLiteral("name"));
  platform.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOption(platform);
  parser.addPositionalArgument(QStringLiteral("paths"),
                               QStringLiteral("Corpus files and folders to open."),
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
  options.screenshot = parser.value(screenshot);
  options.inspect = parser.value(inspect);
  options.train = parser.isSet(train) || parser.isSet(inspect);
  options.platformGiven = parser.isSet(platform);
  return std::nullopt;
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
  const int jobs = 1 + (options.train ? 1 : 0) + (options.inspect.isEmpty() ? 0 : 1);
  int done = 0;
  auto settled = [&window, &done, jobs, &options] {
    ++done;
    if (done == 1 && options.train && !window.startTraining()) done = jobs;
    if (done == 2 && !options.inspect.isEmpty() && !window.inspectContext(options.inspect)) {
      done = jobs;
    }
    if (done < jobs || options.screenshot.isEmpty()) return;
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

  window.openPaths(options.paths.isEmpty() ? QStringList{QStringLiteral(MEMLENS_DEMO_CORPUS)}
                                           : options.paths);
  return QApplication::exec();
}
