#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "corpus_args.h"
#include "memlens/experiment.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/prediction.h"
#include "memlens/status.h"
#include "memlens/trace.h"
#include "memlens/vector_trace.h"
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
// runExperiment(), then its memory written to `save` (a memory file; memlens-cli-mpi on N > 1
// ranks writes a shard file per rank, `save`.r-of-N) and a line on stderr saying so.
Result<std::unique_ptr<Experiment>> runExperimentAndSave(const CorpusArgs& corpus,
                                                         const ExperimentOptions& options,
                                                         const std::string& save, JobControl* job);
Result<std::unique_ptr<Experiment>> runExperimentAndSaveInOneProcess(
    const CorpusArgs& corpus, const ExperimentOptions& options, const std::string& save,
    JobControl* job);
// The line on stderr after saving `path` of `bytes` in `seconds`.
void reportSaved(const std::string& path, uint64_t bytes, double seconds);

// The experiment saved at `path` (its --memory): a memory file in one process; memlens-cli-mpi
// on N > 1 ranks opens the shard files `path`.r-of-N, and every rank but 0 gets null.
Result<std::shared_ptr<const Experiment>> openExperiment(const std::string& path, JobControl* job);

// predict's answers: a memory trained on every token of the corpus `corpus` names (no split), asked
// for the next token after the queries `queriesOf` makes from the loaded corpus (its vocabulary
// encodes them) and the window width. memlens-cli trains and asks in one process
// (predictOnCorpusInOneProcess); memlens-cli-mpi shards the memory over the ranks of an MPI job,
// and there only rank 0 makes queries, and every other rank gets a null corpus: it served the run.
using QueriesOf = std::function<InstanceSet(const TokenisedCorpus& corpus, int width)>;
struct CorpusPredictions {
  std::shared_ptr<const TokenisedCorpus> corpus;
  std::vector<Prediction> predictions;  // one per query
};
Result<CorpusPredictions> predictOnCorpus(const CorpusArgs& corpus,
                                          const ExperimentOptions& options,
                                          const QueriesOf& queriesOf, JobControl* job);
Result<CorpusPredictions> predictOnCorpusInOneProcess(const CorpusArgs& corpus,
                                                      const ExperimentOptions& options,
                                                      const QueriesOf& queriesOf, JobControl* job);

// train's account of a memory trained on every token of the corpus `corpus` names (no split).
// memlens-cli trains it in one process (describeTrainingInOneProcess); memlens-cli-mpi shards it
// over the ranks of an MPI job, where the memory's bytes are not counted (no memoryBytes) and
// every rank but 0 gets a null corpus: it served the run.
struct TrainingSummary {
  std::shared_ptr<const TokenisedCorpus> corpus;
  ExperimentOptions options;
  uint64_t instances = 0;
  uint64_t storedVectors = 0;
  uint32_t classes = 0;
  double seconds = 0.0;
  std::optional<uint64_t> memoryBytes;
  std::vector<double> weights;  // in feature order
};
Result<TrainingSummary> describeTraining(const CorpusArgs& corpus, const ExperimentOptions& options,
                                         JobControl* job);
Result<TrainingSummary> describeTrainingInOneProcess(const CorpusArgs& corpus,
                                                     const ExperimentOptions& options,
                                                     JobControl* job);

// explain's trace over a memory trained on the corpus `corpus` names: the experiment, and the
// trace of the context window `contextOf` encodes with its corpus (the vector memory's: a
// VectorTrace), or with `sequence` the vector memory's map over the tokens `contextOf` encodes.
// memlens-cli traces in one process (traceOnCorpusInOneProcess); memlens-cli-mpi traces over the
// sharded memory, and there every rank but 0 gets a null experiment: it served the run.
struct TracedContext {
  std::shared_ptr<const Experiment> experiment;
  std::variant<Trace, VectorTrace, SequenceAttention> trace;
};
using ContextOf = std::function<Result<std::vector<uint32_t>>(const Experiment& experiment)>;
Result<TracedContext> traceOnCorpus(const CorpusArgs& corpus, const ExperimentOptions& options,
                                    const ContextOf& contextOf, bool sequence, JobControl* job);
Result<TracedContext> traceOnCorpusInOneProcess(const CorpusArgs& corpus,
                                                const ExperimentOptions& options,
                                                const ContextOf& contextOf, bool sequence,
                                                JobControl* job);

// explain --memory of a memory saved by the ranks of an MPI job: memlens-cli-mpi on N > 1 ranks
// traces the context window `contextOf` encodes over the shard files `path`.r-of-N (every rank
// but 0 gets a null experiment: it served the run). Nothing (nullopt) in memlens-cli and on one
// rank, and for a TiMBL instance base: explain opens the memory in one process.
Result<std::optional<TracedContext>> traceFromShards(const std::string& path,
                                                     const ContextOf& contextOf, JobControl* job);

// predict --memory: the answers of the memory saved at `path` to the queries `queriesOf` makes.
// memlens-cli opens the memory file (predictFromMemoryInOneProcess: `openInOneProcess` opens it,
// or a TiMBL instance base); memlens-cli-mpi on N > 1 ranks opens the shard files `path`.r-of-N,
// and every rank but 0 gets a null corpus.
using OpenInOneProcess = std::function<Result<std::shared_ptr<const Experiment>>()>;
Result<CorpusPredictions> predictFromMemory(const std::string& path,
                                            const OpenInOneProcess& openInOneProcess,
                                            const QueriesOf& queriesOf, JobControl* job);
Result<CorpusPredictions> predictFromMemoryInOneProcess(const OpenInOneProcess& openInOneProcess,
                                                        const QueriesOf& queriesOf);

// A JobControl that draws a progress line on stderr when stderr is a terminal.
std::unique_ptr<JobControl> makeTerminalProgress();

// The token's text, or "<unknown>" for Vocabulary::kUnknown and other ids outside `vocab`.
std::string tokenText(const Vocabulary& vocab, uint32_t id);

// The program's name for its messages: "memlens-cli", or "memlens-cli-mpi" for the MPI build.
const char* programName();

// Prints "<program>: <message>" to stderr; returns the exit code for it (2 for a bad command
// line, 1 otherwise).
int reportError(const Status& status);

}  // namespace memlens::cli
