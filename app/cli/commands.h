#pragma once

#include <string>
#include <vector>

// Subcommands of memlens-cli. Each gets the arguments after its name and returns the exit code
// (0 success, 1 failure of the job, 2 bad command line).
namespace memlens::cli {

int runCorpus(const std::vector<std::string>& args);
int runInstances(const std::vector<std::string>& args);
int runTimbl(const std::vector<std::string>& args);
int runEval(const std::vector<std::string>& args);
int runExplain(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runPredict(const std::vector<std::string>& args);
int runGenerate(const std::vector<std::string>& args);
int runProject(const std::vector<std::string>& args);

}  // namespace memlens::cli
