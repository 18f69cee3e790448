// memlens-cli-mpi's explain: on more than one rank, the sharded experiment keeps every rank's
// shard and block (or every rank opens its shard file and loads its block of the corpus the
// memory was trained on), rank 0 encodes the context, and the ranks trace it together, IB1,
// IGTree, TRIBL2 and the vector memory (docs/spec/distributed.md). On one rank, as memlens-cli.
#include "cli_experiment_sharded.h"
#include "distributed/corpus_block.h"
#include "distributed/shard_file.h"
#include "distributed/shard_vector.h"
#include "distributed/sharded_trace.h"
#include "distributed/sharded_vector_memory.h"
#include "distributed/sharded_vector_trace.h"
#include "memlens/timbl_memory.h"
#include "mpi_world.h"

namespace memlens::cli {
namespace {

// Collective: rank 0's trace of the context `contextOf` encodes with its experiment over
// `memory` (with `sequence`: the vector memory's map over its tokens); the other ranks pass a
// null experiment.
Result<TracedContext> traceOver(Communicator& world, ShardedMemory& memory,
                                std::shared_ptr<const Experiment> experiment,
                                const ContextOf& contextOf, bool sequence) {
  Result<std::vector<uint32_t>> context = std::vector<uint32_t>();
  if (experiment) context = contextOf(*experiment);
  if (Status st = world.agree(context ? Status::ok() : context.status()); !st) return st;
  TracedContext traced;
  if (sequence) {
    auto map = traceShardedVectorSequence(world, memory, experiment.get(), *context);
    if (!map) return map.status();
    traced.trace = std::move(*map);
  } else if (dynamic_cast<const ShardedVectorMemory*>(memory.classifier.get())) {
    auto trace = traceShardedVectorMemory(world, memory, experiment.get(), *context);
    if (!trace) return trace.status();
    traced.trace = std::move(*trace);
  } else {
    auto trace = traceSharded(world, memory, experiment.get(), *context);
    if (!trace) return trace.status();
    traced.trace = std::move(*trace);
  }
  traced.experiment = std::move(experiment);
  return traced;
}

// Collective: the corpus files and tokeniser of rank 0's experiment, on every rank; refused when
// a file is no longer the one the memory was trained on (its provenance would be another text's).
Status corpusOf(Communicator& world, const std::string& path, const Experiment* experiment,
                std::vector<std::string>& files, TokeniserOptions& tokeniser) {
  Message m;
  Status usable = Status::ok();
  if (experiment) {
    const Corpus& corpus = *experiment->corpus().corpus;
    for (size_t d = 0; d < corpus.documentCount() && usable; ++d)
      if (!corpus.document(d).textAvailable)
        usable = Status::invalidArgument(
            path + ": " + corpus.document(d).textMissing +
            "; a sharded explain needs the corpus the memory was trained on (each rank reloads "
            "its share to trace where the stored vectors came from)");
    const RunRecord& record = experiment->record();
    m.put<uint64_t>(record.corpus.size());
    for (const RunRecord::CorpusFile& f : record.corpus) putString(m, f.path);
    m.put<uint8_t>(static_cast<uint8_t>(record.tokeniser.kind));
    m.put<uint8_t>(record.tokeniser.lowercase ? 1 : 0);
    putString(m, record.tokeniser.vocabPath);
    putString(m, record.tokeniser.mergesPath);
  }
  if (Status st = world.agree(usable); !st) return st;
  if (Status st = share(world, m); !st) return st;
  const auto n = m.get<uint64_t>();
  for (uint64_t i = 0; i < n && m.ok(); ++i) files.push_back(getString(m));
  tokeniser.kind = static_cast<TokeniserKind>(m.get<uint8_t>());
  tokeniser.lowercase = m.get<uint8_t>() == 1;
  tokeniser.vocabPath = getString(m);
  tokeniser.mergesPath = getString(m);
  return m.ok() && m.atEnd() ? Status::ok() : Status::internal("malformed corpus description");
}

}  // namespace

Result<TracedContext> traceOnCorpus(const CorpusArgs& corpus, const ExperimentOptions& options,
                                    const ContextOf& contextOf, bool sequence, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1)
    return traceOnCorpusInOneProcess(corpus, options, contextOf, sequence, job);
  ShardedMemory memory;
  auto trained = runShardedExperiment(corpus, options, job, &memory);
  if (!trained) return trained.status();
  return traceOver(world, memory, std::move(*trained), contextOf, sequence);
}

Result<std::optional<TracedContext>> traceFromShards(const std::string& path,
                                                     const ContextOf& contextOf, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1 || isTimblInstanceBase(path)) return std::optional<TracedContext>();
  auto opened = openShards(world, path, job);
  if (!opened) return opened.status();
  // Shard files keep no tokens: every rank loads its block of the corpus as training did, whose
  // tokens name the provenance of the vectors first seen in it.
  std::vector<std::string> files;
  TokeniserOptions tokeniser;
  if (Status st = corpusOf(world, path, opened->experiment.get(), files, tokeniser); !st) return st;
  auto block = loadCorpusBlock(world, files, tokeniser, job);
  if (!block) return block.status();
  ShardedMemory memory;
  memory.classifier = std::move(opened->memory);
  memory.tokens = std::move(block->corpus->tokens);
  memory.corpus = block->corpus;
  memory.firstToken = block->firstToken;
  auto traced = traceOver(world, memory, std::move(opened->experiment), contextOf, false);
  if (!traced) return traced.status();
  return std::optional<TracedContext>(std::move(*traced));
}

}  // namespace memlens::cli
