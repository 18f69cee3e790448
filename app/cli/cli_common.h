#pragma once

#include <memory>
#include <string>

#include "corpus_args.h"
#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/status.h"
#include "memlens/vocabulary.h"

namespace memlens::cli {

// Loads the corpus `corpus` names and runs the experiment on it. memlens-cli runs it in one
// process (runExperimentInOneProcess); memlens-cli-mpi shards it over the ranks of an MPI job,
// and there every rank but 0 gets null: it served the run, and has nothing to report.
Result<std::unique_ptr<Experiment>> runExperiment(const CorpusArgs& corpus,
                                                  const ExperimentOptions& options,
                                                  JobControl* job);
Result<std::unique_ptr<Experiment>> runExperimentInOneProcess(const CorpusArgs& corpus,
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
