#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <cstdio>
#include <optional>

#include "main_window.h"

namespace {

struct Options {
  QStringList paths;
  bool project = false;  // paths is one .memlens file
  bool memory = false;   // paths is one .mlm memory file or .ibase TiMBL instance base
  bool trace = false;    // paths is one .json trace (memlens-cli explain --json)
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
      "memory); a .memlens file opens as a project, a .mlm file as a saved memory, a .ibase "
      "file as a TiMBL instance base, a .json file as a trace (memlens-cli explain --json)."));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption version = parser.addVersionOption();
  // Qt's own -platform must get through to QApplication; it also counts as having a display.
  QCommandLineOption platform(QStringLiteral("platform"), QStringLiteral("Qt platform plugin."),
                              QStringLiteral("name"));
  platform.setFlags(QCommandLineOption::HiddenFromHelp);
  parser.addOption(platform);
  parser.addPositionalArgument(
      QStringLiteral("paths"),
      QStringLiteral("Corpus files and folders to open, one .memlens project, one .mlm memory "
                     "or .ibase instance base, or one .json trace."),
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
  options.memory =
      options.paths.size() == 1 && (options.paths.front().endsWith(QStringLiteral(".mlm")) ||
                                    options.paths.front().endsWith(QStringLiteral(".ibase")));
  options.trace =
      options.paths.size() == 1 && options.paths.front().endsWith(QStringLiteral(".json"));
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

  if (options.project) {
    window.openProject(options.paths.front());
  } else if (options.memory) {
    window.openMemory(options.paths.front());
  } else if (options.trace) {
    window.openTrace(options.paths.front());
  } else {
    window.openPaths(options.paths);
  }
  return QApplication::exec();
}
