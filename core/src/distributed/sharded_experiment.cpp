#include "distributed/sharded_experiment.h"

#include <algorithm>
#include <chrono>

#include "distributed/answered_classifier.h"
#include "distributed/block_edges.h"
#include "distributed/message.h"
#include "distributed/sharded_classifier.h"
#include "distributed/sharded_vector_memory.h"

namespace memlens {
namespace {

InstanceSet globalSources(InstanceSet set, uint64_t firstToken) {
  for (uint64_t& s : set.sources) s += firstToken;
  return set;
}

// Rank 0: every rank's `part`, appended in rank order (the order of one process's part).
Status gatherParts(Communicator& comm, const InstanceSet& part, InstanceSet& all) {
  Message m;
  m.putSpan<uint32_t>(part.features);
  m.putSpan<uint32_t>(part.classes);
  m.putSpan<uint64_t>(part.sources);
  all = InstanceSet{};
  all.width = part.width;
  Status merged = Status::ok();
  if (Status st = comm.gatherEach(std::move(m.bytes()),
                                  [&](int rank, std::vector<uint8_t> bytes) {
                                    Message r(std::move(bytes));
                                    const auto f = r.getVector<uint32_t>();
                                    const auto c = r.getVector<uint32_t>();
                                    const auto s = r.getVector<uint64_t>();
                                    if (!r.ok() || s.size() != c.size() ||
                                        f.size() != c.size() * static_cast<size_t>(part.width)) {
                                      merged = Status::internal("malformed instances from rank " +
                                                                std::to_string(rank));
                                      return;
                                    }
                                    all.features.insert(all.features.end(), f.begin(), f.end());
                                    all.classes.insert(all.classes.end(), c.begin(), c.end());
                                    all.sources.insert(all.sources.end(), s.begin(), s.end());
                                  });
      !st)
    return st;
  return comm.agree(merged);
}

// Rank 0: the base model of the whole train part, from every rank's n-gram counts.
Result<std::unique_ptr<KneserNeyModel>> reduceBase(Communicator& comm, const InstanceSet& train,
                                                   int order, uint32_t vocabSize, JobControl* job) {
  KneserNeyModel::Counts mine(order);
  Status counted = mine.add(train, vocabSize, job);
  if (Status st = comm.agree(counted); !st) return st;
  Message m;
  m.putSpan<uint32_t>(mine.records());
  mine = KneserNeyModel::Counts(order);
  KneserNeyModel::Counts all(order);
  Status merged = Status::ok();
  if (Status st = comm.gatherEach(std::move(m.bytes()),
                                  [&](int rank, std::vector<uint8_t> bytes) {
                                    Message r(std::move(bytes));
                                    const auto records = r.getVector<uint32_t>();
                                    if (merged && (!r.ok() || !all.addRecords(records)))
                                      merged = Status::internal(
                                          "malformed n-gram counts from "
                                          "rank " +
                                          std::to_string(rank));
                                  });
      !st)
    return st;
  Result<std::unique_ptr<KneserNeyModel>> base = std::unique_ptr<KneserNeyModel>();
  if (comm.rank() == 0 && merged) base = KneserNeyModel::fromCounts(std::move(all), vocabSize, job);
  if (Status st = comm.agree(merged && base ? Status::ok() : (merged ? base.status() : merged));
      !st)
    return st;
  return base;
}

}  // namespace

Result<std::unique_ptr<Experiment>> trainSharded(Communicator& comm, CorpusBlock block,
                                                 const ExperimentOptions& options, JobControl* job,
                                                 ShardedMemory* kept) {
  const TokenisedCorpus& c = *block.corpus;
  const bool root = comm.rank() == 0;

  // As Experiment::trained(), on this rank's lines: the split is per line, so each rank splits
  // its own block (its lines carry the whole corpus's document and line numbers).
  auto split = DataSplit::make(options.split);
  if (!split) return split.status();
  auto all = windowCorpusBlock(comm, block, options.window, job);
  if (Status st = comm.agree(all ? Status::ok() : all.status()); !st) return st;
  InstanceSet train =
      globalSources(split->select(*all, c.tokens, SplitPart::kTrain, job), block.firstToken);
  InstanceSet validationPart =
      globalSources(split->select(*all, c.tokens, SplitPart::kValidation, job), block.firstToken);
  InstanceSet testPart =
      globalSources(split->select(*all, c.tokens, SplitPart::kTest, job), block.firstToken);
  *all = InstanceSet{};
  if (Status st = comm.agree(cancelRequested(job) ? Status::cancelled() : Status::ok()); !st)
    return st;

  InstanceSet validation, test;
  if (Status st = gatherParts(comm, validationPart, validation); !st) return st;
  if (Status st = gatherParts(comm, testPart, test); !st) return st;
  validationPart = testPart = InstanceSet{};
  auto trainInstances = comm.sum(train.size());
  if (!trainInstances) return trainInstances.status();
  Status parts = Status::ok();
  if (root) {
    if (options.maxTestTokens > 0 && test.size() > options.maxTestTokens)
      test = test.slice(0, options.maxTestTokens);
    if (*trainInstances == 0)
      parts = Status::invalidArgument("the train part of the split is empty");
    else if (test.size() == 0)
      parts = Status::invalidArgument(
          "the test part of the split is empty: the corpus has too few lines");
  }
  if (Status st = comm.agree(parts); !st) return st;

  // The Kneser-Ney counts first: training takes the train part and frees it.
  const int order = std::min(options.ngramOrder, options.window.width + 1);
  auto base = reduceBase(comm, train, order, block.vocabularySize, job);
  if (!base) return base.status();

  const auto trainStart = std::chrono::steady_clock::now();
  auto sharded = ShardedClassifier::train(comm, options.classifier, std::move(train), job);
  if (!sharded) return sharded.status();
  const double trainSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - trainStart).count();
  auto storedVectors = (*sharded)->storedVectors();
  if (!storedVectors) return storedVectors.status();

  const InstanceSet* queries[] = {&validation, &test};
  // The vector memory's answers depend on the temperature tuned next: rank 0 gathers the slots
  // of the validation tokens tuning searches and of the test tokens.
  Result<std::unique_ptr<Classifier>> answers = std::unique_ptr<Classifier>();
  if (auto* vector = dynamic_cast<ShardedVectorMemory*>(sharded->get())) {
    InstanceSet tuning;
    tuning.width = validation.width;
    if (!(options.memoryTemperature && options.memoryLambda))
      for (const size_t i : vectorTuningSample(validation.size(), kVectorTuningTokens)) {
        const auto query = validation.instance(i);
        tuning.features.insert(tuning.features.end(), query.begin(), query.end());
        tuning.classes.push_back(validation.classes[i]);
      }
    const InstanceSet* read[] = {&tuning, &test};
    auto reads = vector->gather(read, job);
    if (!reads) return reads.status();
    answers = std::unique_ptr<Classifier>(std::move(*reads));
  } else {
    answers = AnsweredClassifier::answer(**sharded, queries, job);
  }
  if (!answers) return answers.status();
  if (kept) {
    kept->classifier = std::move(*sharded);
    kept->tokens = std::move(block.corpus->tokens);
    kept->corpus = block.corpus;
    kept->firstToken = block.firstToken;
  }
  if (!root) return std::unique_ptr<Experiment>();

  Experiment::ShardedParts p;
  // The block's tokens are not the whole corpus's: the sources name tokens of other blocks.
  block.corpus->tokens = TokenStream();
  p.corpus = std::move(block.corpus);
  p.validation = std::move(validation);
  p.test = std::move(test);
  p.classifier = std::move(*answers);
  p.base = std::move(*base);
  // The train part's class counts are the memory's class totals, reduced with its statistics.
  const GlobalStatistics& stats = (kept ? kept->classifier : *sharded)->statistics();
  p.trainClassCounts.assign(block.vocabularySize, 0);
  for (size_t i = 0; i < stats.classIds().size(); ++i)
    p.trainClassCounts[stats.classIds()[i]] = stats.classTotals()[i];
  p.trainInstances = *trainInstances;
  p.storedVectors = static_cast<uint32_t>(*storedVectors);
  p.trainSeconds = trainSeconds;
  return Experiment::fromShards(std::move(p), options, job);
}

}  // namespace memlens
