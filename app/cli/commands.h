#pragma once

#include <functional>
#include <map>

namespace CLI {
class App;
}

// The commands of memlens-cli. Each add*Command() defines its command once on `app` (options,
// defaults, ranges, help text) and records in `runs` what runs it once the line parsed; a run
// returns the exit code (0 success, 1 the job failed, 2 bad command line).
namespace memlens::cli {

using CommandRuns = std::map<const CLI::App*, std::function<int()>>;

void addCorpusCommand(CLI::App& app, CommandRuns& runs);
void addInstancesCommand(CLI::App& app, CommandRuns& runs);
void addEvalCommand(CLI::App& app, CommandRuns& runs);
void addExplainCommand(CLI::App& app, CommandRuns& runs);
void addGenerateCommand(CLI::App& app, CommandRuns& runs);
void addTrainCommand(CLI::App& app, CommandRuns& runs);
void addPredictCommand(CLI::App& app, CommandRuns& runs);
void addProjectCommand(CLI::App& app, CommandRuns& runs);
void addTimblCommand(CLI::App& app, CommandRuns& runs);
void addVerifyCommand(CLI::App& app, CommandRuns& runs);

}  // namespace memlens::cli
