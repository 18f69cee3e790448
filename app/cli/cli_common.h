#pragma once

#include <memory>
#include <string>

#include "arg_parser.h"
#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/json_writer.h"
#include "memlens/status.h"
#include "memlens/tokeniser.h"
#include "memlens/vocabulary.h"

namespace memlens::cli {

// Options every corpus-reading subcommand takes.
inline const std::set<std::string> kTokeniserValueOptions = {"--tokeniser", "--vocab", "--merges"};
inline const std::set<std::string> kTokeniserFlags = {"--lowercase"};

Result<TokeniserOptions> tokeniserOptionsFrom(const ArgParser& args);

// Loads the corpus named by the positional arguments with the tokeniser options of `args` and
// runs the experiment on it.
Result<std::unique_ptr<Experiment>> runExperimentFrom(const ArgParser& args,
                                                      const ExperimentOptions& options,
                                                      JobControl* job);

// A JobControl that draws a progress line on stderr when stderr is a terminal.
std::unique_ptr<JobControl> makeTerminalProgress();

// The token's text, or "<unknown>" for Vocabulary::kUnknown and other ids outside `vocab`.
std::string tokenText(const Vocabulary& vocab, uint32_t id);

// Prints "memlens-cli: <message>" to stderr; returns the exit code for it (2 for a bad command
// line, 1 otherwise).
int reportError(const Status& status);

}  // namespace memlens::cli
