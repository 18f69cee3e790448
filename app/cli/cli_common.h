#pragma once

#include <memory>
#include <string>

#include "arg_parser.h"
#include "memlens/job_control.h"
#include "memlens/status.h"
#include "memlens/tokeniser.h"

namespace memlens::cli {

// Options every corpus-reading subcommand takes.
inline const std::set<std::string> kTokeniserValueOptions = {"--tokeniser", "--vocab", "--merges"};
inline const std::set<std::string> kTokeniserFlags = {"--lowercase"};

Result<TokeniserOptions> tokeniserOptionsFrom(const ArgParser& args);

// A JobControl that draws a progress line on stderr when stderr is a terminal.
std::unique_ptr<JobControl> makeTerminalProgress();

// Prints "memlens-cli: <message>" to stderr; returns the exit code for it (2 for a bad command
// line, 1 otherwise).
int reportError(const Status& status);

}  // namespace memlens::cli
