// memlens-cli: MemLens without a window. Exit codes: 0 success, 1 the job failed (bad input
// file, I/O error, cancelled), 2 bad command line.
#include "run_cli.h"

int main(int argc, char** argv) { return memlens::cli::runCli(argc, argv); }
