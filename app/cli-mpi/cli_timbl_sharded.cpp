// memlens-cli-mpi timbl: every rank reads its block of the training file (the token ids agreed
// across ranks); the memory is sharded over the ranks; rank 0 reads the test file, sends the
// queries in batches and writes TiMBL's output.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.h"
#include "cli_timbl.h"
#include "distributed/columns_block.h"
#include "distributed/sharded_classifier.h"
#include "memlens/columns_file.h"
#include "memlens/timbl_weights.h"
#include "memlens/vocabulary.h"
#include "mpi_world.h"

namespace memlens::cli {
namespace {

Status checkSupported(const TimblArgs& a) {
  if (!a.baseIn.empty() || !a.baseOut.empty() || !a.weightsOut.empty())
    return Status::invalidArgument(
        "memlens-cli-mpi timbl: -i, -I and -W are not supported sharded yet");
  if (a.neighbours)
    return Status::invalidArgument("memlens-cli-mpi timbl: +v n is not supported sharded yet");
  if (a.test.empty()) return Status::invalidArgument("memlens-cli-mpi timbl: -t TEST is required");
  return Status::ok();
}

// This rank's block of the training file (the lines in its share of the bytes), with the token
// ids of one process.
Result<InstanceSet> readBlock(const TimblArgs& a, Communicator& world, Vocabulary& vocab,
                              ClassifierOptions& options, JobControl* job) {
  auto block = readColumnsBlock(world, a.train, vocab, job);
  if (!block) return block.status();
  if (!a.weightsIn.empty()) {
    auto weights = readTimblWeights(a.weightsIn, a.weightsSection, block->width);
    if (!weights) return weights.status();
    options.fixedWeights = std::move(weights).value();
  }
  return block;
}

}  // namespace

int runTimbl(const TimblArgs& a) {
  Communicator& world = mpiWorld();
  const bool root = world.rank() == 0;
  // Every rank comes to the same verdict; rank 0 alone says it.
  const auto fail = [root](const Status& st) {
    return root ? reportError(st) : (st.code() == Status::Code::kInvalidArgument ? 2 : 1);
  };
  if (Status st = checkSupported(a); !st) return fail(st);
  std::unique_ptr<JobControl> job = root ? makeTerminalProgress() : nullptr;

  const auto t0 = std::chrono::steady_clock::now();
  Vocabulary vocab;
  ClassifierOptions options = a.options;
  auto block = readBlock(a, world, vocab, options, job.get());
  if (Status st = world.agree(block ? Status::ok() : block.status()); !st) return fail(st);
  // The shard holds what is needed: the block goes.
  auto classifier = ShardedClassifier::train(world, options, std::move(*block), job.get());
  if (!classifier) return fail(classifier.status());
  const auto t1 = std::chrono::steady_clock::now();

  Result<InstanceSet> test = InstanceSet{};
  if (root) {
    test = readColumnsFile(a.test, vocab, job.get());
    if (test && test->width != (*classifier)->width())
      test =
          Status::invalidArgument(a.test + " has " + std::to_string(test->width) + " features, " +
                                  a.train + " has " + std::to_string((*classifier)->width()));
  }
  if (Status st = world.agree(test ? Status::ok() : test.status()); !st) return fail(st);
  PredictOptions po;
  po.distributions = a.distribution;
  po.threads = a.threads;
  const uint64_t bytesBefore = world.bytesMoved();
  auto predictions = (*classifier)->predict(*test, po, job.get());
  if (!predictions) return fail(predictions.status());
  const auto t2 = std::chrono::steady_clock::now();
  if (!root) return 0;
  if (a.timing) {
    printTimblTiming(std::chrono::duration<double>(t1 - t0).count(),
                     std::chrono::duration<double>(t2 - t1).count(), test->size());
    // What rank 0 sent and received per query: the query batches and every rank's answers.
    std::fprintf(stderr, "ranks: %d\nrank0_bytes_per_query: %.1f\n", world.size(),
                 test->size() == 0 ? 0.0
                                   : static_cast<double>(world.bytesMoved() - bytesBefore) /
                                         static_cast<double>(test->size()));
  }
  if (Status st = writeTimblOutput(a, *test, *predictions, vocab, nullptr); !st)
    return reportError(st);
  return 0;
}

}  // namespace memlens::cli
