// memlens-cli verify: the full check of a memory file that opening leaves out (the checksums of
// its large sections, the SHA-256 of the corpus files it attaches on size and time).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "memlens/memory_file.h"

namespace memlens::cli {

void addVerifyCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* verify = app.add_subcommand(
      "verify",
      "Check a memory file completely: every section's checksum (opening checks only the small "
      "ones) and the SHA-256 of its corpus files");
  auto path = std::make_shared<std::string>();
  verify->add_option("FILE", *path, "the memory file (.mlm)")->required();
  runs[verify] = [path] {
    auto job = makeTerminalProgress();
    if (Status s = verifyMemory(*path, job.get()); !s) return reportError(s);
    std::printf("%s: every section and corpus file checks out\n", path->c_str());
    return 0;
  };
}

}  // namespace memlens::cli
