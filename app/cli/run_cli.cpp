// memlens-cli's command line (memlens-cli and memlens-cli-mpi run it). Exit codes: 0 success,
// 1 the job failed (bad input file, I/O error, cancelled), 2 bad command line.
#include "run_cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"

namespace {

using memlens::cli::CommandRuns;

constexpr int kBadCommandLine = 2;

// The commands the line selected, outermost first: memlens-cli, project, edit.
std::vector<const CLI::App*> selectedCommands(const CLI::App& app) {
  std::vector<const CLI::App*> chain = {&app};
  while (!chain.back()->get_subcommands().empty())
    chain.push_back(chain.back()->get_subcommands().front());
  return chain;
}

std::string pathOf(const std::vector<const CLI::App*>& chain, size_t depth) {
  std::string path = chain[0]->get_name();
  for (size_t i = 1; i <= depth; ++i) path += " " + chain[i]->get_name();
  return path;
}

// The first word no command took ("--colour", a misspelt command), named before any other
// problem: an option missing or out of range is more often the consequence than the cause.
bool reportedUnknownWord(const CLI::App& app, const CommandRuns& runs) {
  const std::vector<const CLI::App*> chain = selectedCommands(app);
  for (size_t depth = 0; depth < chain.size(); ++depth) {
    const CLI::App& command = *chain[depth];
    if (command.get_prefix_command()) continue;  // `timbl` reads the rest itself
    const std::vector<std::string> words = command.remaining();
    if (words.empty()) continue;
    const std::string& word = words.front();
    if (word.starts_with('-'))
      std::fprintf(stderr, "%s: unknown option %s\n", memlens::cli::programName(), word.c_str());
    else if (runs.count(&command))
      std::fprintf(stderr, "%s: unexpected argument '%s'\n", memlens::cli::programName(),
                   word.c_str());
    else
      std::fprintf(stderr, "%s: unknown command '%s'\n", memlens::cli::programName(), word.c_str());
    std::fprintf(stderr, "Run '%s --help' for its usage.\n", pathOf(chain, depth).c_str());
    return true;
  }
  return false;
}

// Every command's own help (with its footer) in turn, nested commands included, which CLI11's
// --help-all leaves out: the man page is made from this.
void printAllHelp(const CLI::App& command, const std::string& parent) {
  std::fputs(command.help(parent).c_str(), stdout);
  const std::string path = parent.empty() ? command.get_name() : parent + " " + command.get_name();
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App* c) {
         return !c->get_name().empty() && !c->get_group().empty();  // no option group, no `help`
       })) {
    std::fputs("\n", stdout);
    printAllHelp(*sub, path);
  }
}

// Runs the command the line selected; a group of commands (memlens-cli itself, corpus, project)
// given none of its commands shows its help.
int runSelected(const CLI::App& app, const CommandRuns& runs) {
  if (reportedUnknownWord(app, runs)) return kBadCommandLine;
  const std::vector<const CLI::App*> chain = selectedCommands(app);
  if (auto run = runs.find(chain.back()); run != runs.end()) return run->second();
  std::fputs(chain.back()->help(chain.size() > 1 ? pathOf(chain, chain.size() - 2) : "").c_str(),
             stderr);
  return kBadCommandLine;
}

}  // namespace

namespace memlens::cli {

int runCli(int argc, char** argv) {
  CLI::App app(
      "MemLens without a window: corpus statistics, TiMBL instances, training, evaluation,\n"
      "explanation, generation and .memlens projects.",
      "memlens-cli");
  app.require_subcommand(0, 1);  // one command a line; inherited by the groups
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("memlens-cli ") + MEMLENS_VERSION,
                       "Print the version and exit");
  CommandRuns runs;
  addCorpusCommand(app, runs);
  addInstancesCommand(app, runs);
  addEvalCommand(app, runs);
  addExplainCommand(app, runs);
  addGenerateCommand(app, runs);
  addTrainCommand(app, runs);
  addPredictCommand(app, runs);
  addProjectCommand(app, runs);
  addTimblCommand(app, runs);
  addVerifyCommand(app, runs);
  CLI::App* help = app.add_subcommand("help", "Print this help message and exit")->group("");
  runs[help] = [&app] {
    // app.help() would describe the command selected: `help` itself.
    std::fputs(
        app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal).c_str(),
        stdout);
    return 0;
  };
  // Set after the commands were added, so that they do not inherit these. The groups keep the
  // words they do not know, for reportedUnknownWord() to name.
  for (CLI::App* group : app.get_subcommands([&runs](CLI::App* c) { return !runs.count(c); }))
    group->allow_extras();
  app.allow_extras();
  app.set_help_all_flag("--help-all", "Print the help of every command and exit");
  app.footer(
      "Run 'memlens-cli COMMAND --help' for a command's options.\n"
      "Exit codes: 0 success, 1 the job failed, 2 bad command line.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (dynamic_cast<const CLI::CallForAllHelp*>(&e)) {
      printAllHelp(app, "");
      return 0;
    }
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    if (reportedUnknownWord(app, runs)) return kBadCommandLine;
    const std::vector<const CLI::App*> chain = selectedCommands(app);
    std::fprintf(stderr, "%s: %s\nRun '%s --help' for its usage.\n", programName(), e.what(),
                 pathOf(chain, chain.size() - 1).c_str());
    return kBadCommandLine;
  }
  return runSelected(app, runs);
}

}  // namespace memlens::cli
