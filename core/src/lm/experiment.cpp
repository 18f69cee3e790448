#include "memlens/experiment.h"

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <numeric>
#include <optional>

#include "base/release_if_cancelled.h"
#include "vector/attention_classifier.h"
#include "vector/vector_memory_classifier.h"

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

struct Tuning {
  double beta = 0.0;          // count-vote memories
  VectorMemoryTuning vector;  // the vector memory
};

// Tunes the smoothing on validation; the vector memory also gets its tuned temperature.
Result<Tuning> tune(Classifier& classifier, const KneserNeyModel& base,
                    const InstanceSet& validation, const ExperimentOptions& options,
                    JobControl* job) {
  Tuning t;
  auto* vector = dynamic_cast<AttentionClassifier*>(&classifier);
  if (!vector) {
    if (validation.size() == 0) {
      t.beta = 1.0;  // nothing to tune on: a neutral β, recorded as such
      return t;
    }
    auto beta = tuneSmoothing(classifier, base, validation, job);
    if (!beta) return beta.status();
    t.beta = *beta;
    return t;
  }
  if (validation.size() == 0) {  // nothing to tune on: the defaults, recorded as such
    t.vector.temperature =
        options.memoryTemperature.value_or(options.classifier.vectorMemory.temperature);
    t.vector.lambda = options.memoryLambda.value_or(0.5);
  } else {
    auto tuned = tuneVectorMemory(*vector->attentionRead(), base, validation, kVectorTuningTokens,
                                  options.memoryTemperature, options.memoryLambda, job);
    if (!tuned) return tuned.status();
    t.vector = *tuned;
  }
  vector->setTemperature(t.vector.temperature);
  return t;
}

MemorySmoother smootherFor(const KneserNeyModel& base, Algorithm algorithm, double beta,
                           double lambda) {
  return algorithm == Algorithm::kVectorMemory ? MemorySmoother::fixedWeight(base, lambda)
                                               : MemorySmoother(base, beta);
}

// The mean and the 99th percentile (nearest rank: the ⌈0.99·n⌉-th smallest) of the lookups;
// 0 when none was measured, not the figures of an earlier evaluation of the same memory.
void recordLatency(const std::vector<TokenRecord>& tokens, RunRecord& r) {
  r.latencyMeanMicros = r.latencyP99Micros = 0.0;
  if (tokens.empty()) return;
  std::vector<double> micros;
  micros.reserve(tokens.size());
  for (const TokenRecord& t : tokens) micros.push_back(t.latencyMicros);
  r.latencyMeanMicros = std::accumulate(micros.begin(), micros.end(), 0.0) / double(micros.size());
  const size_t rank = (micros.size() * 99 + 99) / 100;
  std::nth_element(micros.begin(), micros.begin() + (rank - 1), micros.end());
  r.latencyP99Micros = micros[rank - 1];
}

Status checkVectorOverrides(const ExperimentOptions& o) {
  if (o.memoryTemperature && !(*o.memoryTemperature > 0.0)) {
    return Status::invalidArgument("the vector memory's temperature must be above 0");
  }
  if (o.memoryLambda && !(*o.memoryLambda >= 0.0 && *o.memoryLambda < 1.0)) {
    return Status::invalidArgument(
        "the vector memory's lambda must be at least 0 and below 1 (the base model needs a share)");
  }
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Experiment>> Experiment::run(std::shared_ptr<const TokenisedCorpus> corpus,
                                                    const ExperimentOptions& options,
                                                    JobControl* job) {
  auto trainedMemory = trained(std::move(corpus), options, job);
  if (!trainedMemory) return trainedMemory.status();
  // No one sees the chunks here (no updates; a cancel returns no sample), so the test set is one
  // chunk: looked up in context order throughout, neighbouring lookups share more of what they
  // fetch than within a sample of it.
  ProgressiveEvaluationOptions whole;
  whole.firstChunk = whole.largestChunk = (*trainedMemory)->test().size();
  auto e = evaluated(std::move(*trainedMemory), whole, {}, job);
  if (e && !(*e)->report().complete) return Status::cancelled();
  return e;
}

Result<std::unique_ptr<Experiment>> Experiment::trained(
    std::shared_ptr<const TokenisedCorpus> corpus, const ExperimentOptions& options,
    JobControl* job) {
  if (Status s = checkVectorOverrides(options); !s) return s;
  std::unique_ptr<Experiment> e(new Experiment());
  InstanceSet all, train, validation, test;
  std::unique_ptr<Classifier> classifier;  // mutable until tuned
  ReleaseIfCancelled release(job, e, all, train, validation, test, classifier);
  e->corpus_ = std::move(corpus);
  const TokenisedCorpus& c = *e->corpus_;
  auto split = DataSplit::make(options.split);
  if (!split) return split.status();
  e->split_ = std::move(*split);

  auto instances = buildInstances(c.tokens, c.paddingId, options.window, job);
  if (!instances) return instances.status();
  all = std::move(*instances);
  train = e->split_.select(all, c.tokens, SplitPart::kTrain, job);
  validation = e->split_.select(all, c.tokens, SplitPart::kValidation, job);
  test = e->split_.select(all, c.tokens, SplitPart::kTest, job);
  if (cancelRequested(job)) return Status::cancelled();
  // Not needed past the split, and at 100M instances it is 3 GB: gone before training.
  releaseInBackground(std::move(all));
  if (options.maxTestTokens > 0 && test.size() > options.maxTestTokens) {
    test = test.slice(0, options.maxTestTokens);
  }
  if (train.size() == 0) return Status::invalidArgument("the train part of the split is empty");
  if (test.size() == 0) {
    return Status::invalidArgument(
        "the test part of the split is empty: the corpus has too few lines");
  }

  auto created = createClassifier(options.classifier);
  if (!created) return created.status();
  classifier = std::move(*created);
  KneserNeyOptions kn;
  kn.order = effectiveOrder(options);
  Status memoryTrained;
  double trainSeconds = 0.0;
  std::optional<Result<std::unique_ptr<KneserNeyModel>>> base;
  auto trainMemory = [&] {
    const auto trainStart = std::chrono::steady_clock::now();
    memoryTrained = classifier->train(train, job);
    trainSeconds = secondsSince(trainStart);
  };
  auto trainBase = [&] { base = KneserNeyModel::train(train, c.vocab.size(), kn, job); };
  // The vector memory's training is mostly one thread's SVD, so the base trains beside it (the
  // memory is ready that much sooner). The others train one after the other: at 100M instances
  // their training holds most of the memory, and the base's tables would add to that peak.
  if (options.classifier.algorithm == Algorithm::kVectorMemory) {
    tbb::parallel_invoke(trainMemory, trainBase);
  } else {
    trainMemory();
    if (memoryTrained) trainBase();
  }
  if (!memoryTrained) return memoryTrained;
  if (!*base) return base->status();
  e->base_ = std::move(**base);

  auto tuning = tune(*classifier, *e->base_, validation, options, job);
  if (!tuning) return tuning.status();
  e->classifier_ = std::move(classifier);
  e->keep(std::move(train), std::move(validation), std::move(test), options, kn.order, tuning->beta,
          tuning->vector, trainSeconds);
  return e;
}

Result<std::unique_ptr<Experiment>> Experiment::fromMemory(
    std::shared_ptr<const TokenisedCorpus> corpus, InstanceSet train, InstanceSet test,
    std::shared_ptr<const Classifier> classifier, std::shared_ptr<const KneserNeyModel> base,
    const ExperimentOptions& options, JobControl* job) {
  if (!corpus || !classifier)
    return Status::invalidArgument("fromMemory needs a corpus and a memory");
  if (classifier->options().algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("fromMemory takes IB1, IGTree and TRIBL2 memories");
  std::unique_ptr<Experiment> e(new Experiment());
  e->corpus_ = std::move(corpus);
  SplitOptions all = options.split;
  all.trainFraction = 1.0;
  all.validationFraction = 0.0;
  auto split = DataSplit::make(all);
  if (!split) return split.status();
  e->split_ = std::move(*split);
  if (!base) {
    KneserNeyOptions kn;
    kn.order = effectiveOrder(options);
    auto fitted = KneserNeyModel::train(train, e->corpus_->vocab.size(), kn, job);
    if (!fitted) return fitted.status();
    base = std::move(*fitted);
  }
  e->base_ = std::move(base);
  e->classifier_ = std::move(classifier);
  ExperimentOptions recorded = options;
  recorded.split = all;
  recorded.classifier = e->classifier_->options();
  InstanceSet validation;
  validation.width = train.width;
  e->keep(std::move(train), std::move(validation), std::move(test), recorded, e->base_->order(),
          1.0, {}, 0.0);
  return e;
}

Result<std::unique_ptr<Experiment>> Experiment::fromShards(ShardedParts parts,
                                                           const ExperimentOptions& options,
                                                           JobControl* job) {
  if (!parts.corpus || !parts.classifier || !parts.base)
    return Status::invalidArgument("fromShards needs a corpus, a classifier and a base model");
  std::unique_ptr<Experiment> e(new Experiment());
  e->corpus_ = std::move(parts.corpus);
  e->base_ = std::move(parts.base);
  auto tuning = tune(*parts.classifier, *e->base_, parts.validation, options, job);
  if (!tuning) return tuning.status();
  e->classifier_ = std::move(parts.classifier);
  InstanceSet train;
  train.width = parts.validation.width;
  e->keep(std::move(train), std::move(parts.validation), std::move(parts.test), options,
          e->base_->order(), tuning->beta, tuning->vector, parts.trainSeconds);
  // What keep() counts from a train part it holds, from the whole one's.
  e->trainClassCounts_ = std::move(parts.trainClassCounts);
  e->record_.trainInstances = parts.trainInstances;
  e->record_.storedVectors = parts.storedVectors;
  return e;
}

void Experiment::keep(InstanceSet train, InstanceSet validation, InstanceSet test,
                      const ExperimentOptions& options, int ngramOrder, double beta,
                      const VectorMemoryTuning& vector, double trainSeconds) {
  const TokenisedCorpus& c = *corpus_;
  trainClassCounts_ = classCounts(train, c.vocab.size());
  train_ = std::make_shared<const InstanceSet>(std::move(train));
  validation_ = std::make_shared<const InstanceSet>(std::move(validation));
  test_ = std::make_shared<const InstanceSet>(std::move(test));

  RunRecord& r = record_;
  r.created = utcNow();
  r.corpus = RunRecord::describeCorpus(*c.corpus);
  r.tokeniser = c.tokeniserOptions;
  r.tokeniserName = c.tokeniserName;
  r.vocabularySize = c.vocab.size();
  r.options = options;
  r.options.ngramOrder = ngramOrder;
  r.smoothingBeta = beta;
  r.memoryTemperature = vector.temperature;
  r.memoryLambda = vector.lambda;
  r.tuningTokens = vector.tokens;
  r.smoothing = smoother().describe();
  r.trainInstances = train_->size();
  r.validationInstances = validation_->size();
  r.testInstances = test_->size();
  r.storedVectors = classifier_->memory().vectorCount();
  r.trainSeconds = trainSeconds;
}

Result<std::unique_ptr<Experiment>> Experiment::evaluated(
    std::shared_ptr<const Experiment> trained, const ProgressiveEvaluationOptions& options,
    const std::function<void(const EvaluationUpdate&)>& onUpdate, JobControl* job) {
  if (!trained) return Status::invalidArgument("evaluated() needs a trained experiment");
  std::unique_ptr<Experiment> e = sharing(*trained);

  const auto evalStart = std::chrono::steady_clock::now();
  // A memory without text (fromMemory()) has test sources that name no corpus token.
  const TokenStream* tokens = e->hasProvenance() ? &e->corpus_->tokens : nullptr;
  auto report = evaluateProgressively(*e->classifier_, e->smoother(), *e->test_,
                                      e->trainClassCounts_, tokens, options, onUpdate, job);
  if (!report) return report.status();
  e->report_ = std::move(*report);
  RunRecord& r = e->record_;
  r.evaluateSeconds = secondsSince(evalStart);
  r.smoothing = e->report_.smoothing;
  recordLatency(e->report_.tokens, r);
  r.test = e->report_.overall;
  r.baseTest = e->report_.base;
  r.bands = e->report_.bands;
  return e;
}

Result<std::unique_ptr<Experiment>> Experiment::withMemory(
    std::shared_ptr<const Experiment> original, InstanceSet train,
    std::shared_ptr<const Classifier> classifier) {
  if (!original || !classifier)
    return Status::invalidArgument("withMemory needs an experiment and a memory");
  if (original->vectorMemory() != nullptr ||
      classifier->options().algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("only IB1, IGTree and TRIBL2 memories can be swapped in");
  if (train.size() == 0 || train.width != original->train_->width)
    return Status::invalidArgument(
        "the new train part must be non-empty and as wide as the original's");
  if (classifier->memory().instanceCount() != train.size())
    return Status::invalidArgument("the memory was not trained on the train part given");
  std::unique_ptr<Experiment> e = sharing(*original);
  e->train_ = std::make_shared<const InstanceSet>(std::move(train));
  e->classifier_ = std::move(classifier);
  e->trainClassCounts_ = classCounts(*e->train_, e->corpus_->vocab.size());
  e->record_.options.classifier = e->classifier_->options();
  e->record_.trainInstances = e->train_->size();
  e->record_.storedVectors = e->classifier_->memory().vectorCount();
  e->record_.test = {};
  e->record_.bands.clear();
  e->record_.evaluateSeconds = 0.0;
  e->record_.latencyMeanMicros = 0.0;
  e->record_.latencyP99Micros = 0.0;
  return e;
}

std::unique_ptr<Experiment> Experiment::sharing(const Experiment& original) {
  std::unique_ptr<Experiment> e(new Experiment());
  e->corpus_ = original.corpus_;
  e->split_ = original.split_;
  e->train_ = original.train_;
  e->validation_ = original.validation_;
  e->test_ = original.test_;
  e->classifier_ = original.classifier_;
  e->base_ = original.base_;
  e->trainClassCounts_ = original.trainClassCounts_;
  e->record_ = original.record_;
  return e;
}

MemorySmoother Experiment::smoother() const {
  return smootherFor(*base_, record_.options.classifier.algorithm, record_.smoothingBeta,
                     record_.memoryLambda);
}

const VectorMemory* Experiment::vectorMemory() const {
  const auto* vector = dynamic_cast<const VectorMemoryClassifier*>(classifier_.get());
  return vector ? vector->vectorMemory() : nullptr;
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
    // The whole memory was evaluated already: growing a second copy of it to measure it again
    // doubled a big memory's RSS (16 GB at 73M instances).
    if (prefix == train.size() && experiment.report().complete) {
      LearningCurvePoint point;
      point.trainInstances = prefix;
      point.storedVectors = record.storedVectors;
      point.smoothingBeta = record.smoothingBeta;
      point.metrics = record.test;
      points.push_back(point);
      if (onPoint) onPoint(point);
      break;
    }
    if (Status s = (*classifier)->add(train.slice(done, prefix), job); !s) return s;
    done = prefix;
    const InstanceSet seen = train.slice(0, prefix);
    KneserNeyOptions kn;
    kn.order = record.options.ngramOrder;
    auto base = KneserNeyModel::train(seen, vocabSize, kn, job);
    if (!base) return base.status();
    auto tuning = tune(**classifier, **base, experiment.validation(), record.options, job);
    if (!tuning) return tuning.status();
    auto report = evaluate(**classifier,
                           smootherFor(**base, record.options.classifier.algorithm, tuning->beta,
                                       tuning->vector.lambda),
                           experiment.test(), classCounts(seen, vocabSize), nullptr, job);
    if (!report) return report.status();

    LearningCurvePoint point;
    point.trainInstances = prefix;
    point.storedVectors = (*classifier)->memory().vectorCount();
    point.smoothingBeta = tuning->beta;
    point.metrics = report->overall;
    points.push_back(point);
    if (onPoint) onPoint(point);
  }
  return points;
}

}  // namespace memlens
