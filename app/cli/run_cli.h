#pragma once

namespace memlens::cli {

// Parses memlens-cli's command line and runs the command it selects; returns the exit code.
int runCli(int argc, char** argv);

}  // namespace memlens::cli
