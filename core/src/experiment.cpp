#include "memlens/experiment.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace memlens {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string utcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The base model's order can't exceed the context it is given.
int effectiveOrder(const ExperimentOptions& options) {
  return std::min(options.ngramOrder, options.window.width + 1);
}

std::vector<uint64_t> classCounts(const InstanceSet& instances, uint32_t vocabSize) {
  std::vector<uint64_t> counts(vocabSize, 0);
  for (uint32_t c : instances.classes) ++counts[c];
  return counts;
}

Result<double> tuneOrDefault(const Classifier& classifier, const KneserNeyModel& base,
                             const InstanceSet& validation, JobControl* job) {
  if (validation.size() == 0) return 1.0;  // nothing to tune on: a neutral β, recorded as such
  return tuneSmoothing(classifier, base, validation, job);
}

}  // namespace

Result<std::unique_ptr<Experiment>> Experiment::run(std::shared_ptr<const TokenisedCorpus> corpus,
                                                    const ExperimentOptions& options,
                                                    JobControl* job) {
  std::unique_ptr<Experiment> e(new Experiment());
  e->corpus_ = std::move(corpus);
  const TokenisedCorpus& c = *e->corpus_;
  auto split = DataSplit::make(c.tokens, options.split);
  if (!split) return split.status();
  e->split_ = std::move(*split);

  auto all = buildInstances(c.tokens, c.paddingId, options.window, job);
  if (!all) return all.status();
  e->train_ = e->split_.select(*all, c.tokens, SplitPart::kTrain);
  e->validation_ = e->split_.select(*all, c.tokens, SplitPart::kValidation);
  e->test_ = e->split_.select(*all, c.tokens, SplitPart::kTest);
  if (options.maxTestTokens > 0 && e->test_.size() > options.maxTestTokens) {
    e->test_ = e->test_.slice(0, options.maxTestTokens);
  }
  if (e->train_.size() == 0) return Status::invalidArgument("the train part of the split is empty");
  if (e->test_.size() == 0) {
    return Status::invalidArgument("the test part of the split is empty: the corpus has too few lines");
  }

  auto classifier = createClassifier(options.classifier);
  if (!classifier) return classifier.status();
  e->classifier_ = std::move(*classifier);
  const auto trainStart = std::chrono::steady_clock::now();
  if (Status s = e->classifier_->train(e->train_, job); !s) return s;
  const double trainSeconds = secondsSince(trainStart);

  KneserNeyOptions kn;
  kn.order = effectiveOrder(options);
  auto base = KneserNeyModel::train(e->train_, c.vocab.size(), kn, job);
  if (!base) return base.status();
  e->base_ = std::move(*base);

  auto beta = tuneOrDefault(*e->classifier_, *e->base_, e->validation_, job);
  if (!beta) return beta.status();
  e->trainClassCounts_ = classCounts(e->train_, c.vocab.size());

  const auto evalStart = std::chrono::steady_clock::now();
  const MemorySmoother smoother(*e->base_, *beta);
  auto report = evaluate(*e->classifier_, smoother, e->test_, e->trainClassCounts_, &c.tokens, job);
  if (!report) return report.status();
  e->report_ = std::move(*report);

  RunRecord& r = e->record_;
  r.created = utcNow();
  r.corpus = RunRecord::describeCorpus(*c.corpus);
  r.tokeniser = c.tokeniserOptions;
  r.tokeniserName = c.tokeniserName;
  r.vocabularySize = c.vocab.size();
  r.options = options;
  r.options.ngramOrder = kn.order;
  r.smoothingBeta = *beta;
  r.smoothing = e->report_.smoothing;
  r.trainInstances = e->train_.size();
  r.validationInstances = e->validation_.size();
  r.testInstances = e->test_.size();
  r.storedVectors = e->classifier_->memory().vectorCount();
  r.trainSeconds = trainSeconds;
  r.evaluateSeconds = secondsSince(evalStart);
  r.test = e->report_.overall;
  r.bands = e->report_.bands;
  return e;
}

std::vector<uint64_t> learningCurvePrefixes(uint64_t trainInstances) {
  std::vector<uint64_t> prefixes;
  for (uint64_t p = 1000; p < trainInstances; p *= 10) prefixes.push_back(p);
  prefixes.push_back(trainInstances);
  return prefixes;
}

Result<std::vector<LearningCurvePoint>> learningCurve(
    const Experiment& experiment, JobControl* job,
    const std::function<void(const LearningCurvePoint&)>& onPoint) {
  const InstanceSet& train = experiment.train();
  const RunRecord& record = experiment.record();
  const std::vector<uint64_t> prefixes = learningCurvePrefixes(train.size());

  auto classifier = createClassifier(record.options.classifier);
  if (!classifier) return classifier.status();
  const uint32_t vocabSize = experiment.corpus().vocab.size();
  std::vector<LearningCurvePoint> points;
  size_t done = 0;
  for (const uint64_t prefix : prefixes) {
    if (cancelRequested(job)) return Status::cancelled();
    if (Status s = (*classifier)->add(train.slice(done, prefix), job); !s) return s;
    done = prefix;
    const InstanceSet seen = train.slice(0, prefix);
    KneserNeyOptions kn;
    kn.order = record.options.ngramOrder;
    auto base = KneserNeyModel::train(seen, vocabSize, kn, job);
    if (!base) return base.status();
    auto beta = tuneOrDefault(**classifier, **base, experiment.validation(), job);
    if (!beta) return beta.status();
    auto report = evaluate(**classifier, MemorySmoother(**base, *beta), experiment.test(),
                           classCounts(seen, vocabSize), nullptr, job);
    if (!report) return report.status();

    LearningCurvePoint point;
    point.trainInstances = prefix;
    point.storedVectors = (*classifier)->memory().vectorCount();
    point.smoothingBeta = *beta;
    point.metrics = report->overall;
    points.push_back(point);
    if (onPoint) onPoint(point);
  }
  return points;
}

}  // namespace memlens
