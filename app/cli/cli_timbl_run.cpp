// memlens-cli timbl in one process: trains (or reads) the whole memory, classifies, writes.
#include <chrono>
#include <memory>
#include <string>

#include "cli_common.h"
#include "cli_timbl.h"
#include "memlens/classifier.h"
#include "memlens/columns_file.h"
#include "memlens/timbl_instance_base.h"
#include "memlens/timbl_weights.h"
#include "memlens/vocabulary.h"

namespace memlens::cli {
namespace {

// The classifier -f trains or -i reads, then the files -I and -W ask for. `queries`: the only
// instances it will answer, if known.
Result<std::unique_ptr<Classifier>> loadClassifier(const TimblArgs& a, Vocabulary& vocab,
                                                   JobControl* job, double& trainSeconds,
                                                   const InstanceSet* queries) {
  const auto t0 = std::chrono::steady_clock::now();
  std::unique_ptr<Classifier> classifier;
  if (!a.baseIn.empty()) {
    TimblBaseOptions options;
    options.classifier = a.options;
    options.weightsPath = a.weightsIn;
    options.weightsSection = a.weightsSection;
    options.queries = queries;
    auto read = readTimblInstanceBase(a.baseIn, options, vocab, job);
    if (!read) return read.status();
    classifier = std::move(read).value();
  } else {
    auto train = readColumnsFile(a.train, vocab, job);
    if (!train) return train.status();
    ClassifierOptions options = a.options;
    if (!a.weightsIn.empty()) {
      auto weights = readTimblWeights(a.weightsIn, a.weightsSection, train->width);
      if (!weights) return weights.status();
      options.fixedWeights = std::move(weights).value();
    }
    auto created = createClassifier(options);
    if (!created) return created.status();
    classifier = std::move(created).value();
    if (Status st = classifier->train(*train, job); !st) return st;
  }
  trainSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!a.baseOut.empty()) {
    if (Status st = writeTimblInstanceBase(a.baseOut, *classifier, vocab, a.baseWrite, job); !st)
      return st;
  }
  if (!a.weightsOut.empty()) {
    if (Status st = writeTimblWeights(a.weightsOut, classifier->memory()); !st) return st;
  }
  return classifier;
}

}  // namespace

int runTimbl(const TimblArgs& a) {
  Vocabulary vocab;
  auto job = makeTerminalProgress();
  double trainS = 0;
  // A base read only to classify the test: the test first, so that only what it needs is read.
  const bool testOnly =
      !a.baseIn.empty() && !a.test.empty() && a.baseOut.empty() && a.weightsOut.empty();
  Result<InstanceSet> test = InstanceSet{};
  if (testOnly) {
    test = readColumnsFile(a.test, vocab, job.get());
    if (!test) return reportError(test.status());
  }
  auto classifier = loadClassifier(a, vocab, job.get(), trainS, testOnly ? &*test : nullptr);
  if (!classifier) return reportError(classifier.status());
  if (a.test.empty()) return 0;
  if (!testOnly) {
    test = readColumnsFile(a.test, vocab, job.get());
    if (!test) return reportError(test.status());
  }
  const int width = (*classifier)->memory().width();
  if (test->width != width)
    return reportError(Status::invalidArgument(
        a.test + " has " + std::to_string(test->width) + " features, " +
        (a.baseIn.empty() ? a.train : a.baseIn) + " has " + std::to_string(width)));
  const auto t1 = std::chrono::steady_clock::now();
  PredictOptions po;
  po.distributions = a.distribution;
  po.neighbours = a.neighbours;
  po.threads = a.threads;
  auto predictions = (*classifier)->predict(*test, po, job.get());
  if (!predictions) return reportError(predictions.status());
  const auto t2 = std::chrono::steady_clock::now();
  if (a.timing)
    printTimblTiming(trainS, std::chrono::duration<double>(t2 - t1).count(), test->size());
  const InstanceBase* memory = a.neighbours ? &(*classifier)->memory() : nullptr;
  if (Status st = writeTimblOutput(a, *test, *predictions, vocab, memory); !st)
    return reportError(st);
  return 0;
}

}  // namespace memlens::cli
