#pragma once

#include <functional>
#include <memory>

#include "memlens/classifier.h"
#include "memlens/evaluation.h"
#include "memlens/kneser_ney_model.h"
#include "memlens/lazy_instance_set.h"
#include "memlens/run_record.h"
#include "memlens/tokenised_corpus.h"

namespace memlens {

// One evaluated memory: the corpus split by lines, a classifier trained on the train part, a
// Kneser-Ney base model on the same instances, the smoothing (and the vector memory's
// temperature) tuned on validation, and the report on test, with the base model alone on the
// same test tokens for comparison. Immutable once made: share it as
// std::shared_ptr<const Experiment>.
class Experiment {
 public:
  // trained(), then evaluated(): the evaluated memory, or Status::cancelled() when cancelled.
  static Result<std::unique_ptr<Experiment>> run(std::shared_ptr<const TokenisedCorpus> corpus,
                                                 const ExperimentOptions& options,
                                                 JobControl* job = nullptr);
  // The memory trained and tuned, ready to inspect but not evaluated: report() is empty (not
  // complete) and record() has no test figures yet.
  static Result<std::unique_ptr<Experiment>> trained(std::shared_ptr<const TokenisedCorpus> corpus,
                                                     const ExperimentOptions& options,
                                                     JobControl* job = nullptr);
  // `trained` (from trained()) evaluated on its test set by evaluateProgressively(), sharing its
  // memory and data: report(), and in record() the test and base-model figures, bands and
  // timings. When `job` is cancelled it is the evaluation of the sample finished so far
  // (report().complete is false; the base model is measured on the same sample).
  static Result<std::unique_ptr<Experiment>> evaluated(
      std::shared_ptr<const Experiment> trained, const ProgressiveEvaluationOptions& options = {},
      const std::function<void(const EvaluationUpdate&)>& onUpdate = {}, JobControl* job = nullptr);
  // `original` with another memory: `classifier`, trained on `train` (an edited train part,
  // e.g. EditedMemory::classifier() and instances()). Same corpus, split, validation and test
  // (so test indices name the same tokens); trainClassCounts() are recounted from `train`. The
  // base model and β are the original's, shared: refitting them would cost a whole evaluation
  // (seconds on the KJV) per edit and would mix a change of the smoothing into what the edit
  // changed. Not evaluated: report() is empty and record().test counts no tokens; record()
  // otherwise is the original's with this memory's sizes. Count-vote memories only (the vector
  // memory's temperature is tuned on its own classifier).
  static Result<std::unique_ptr<Experiment>> withMemory(
      std::shared_ptr<const Experiment> original, InstanceSet train,
      std::shared_ptr<const Classifier> classifier);
  // A memory trained elsewhere (a TiMBL instance base: openTimblBase() in timbl_memory.h), on
  // `train`, over `corpus`: the text it was trained on when that is known (train's sources are
  // then its token positions), else a corpus without documents or tokens (hasProvenance() false;
  // train's sources then only number the instances). Nothing is split off: the split puts every
  // line in train, validation is empty and β the neutral 1.0 (recorded as untuned); `test` (may
  // be empty; sources into `corpus`, or when it has no text, numbering the test instances) is
  // what evaluated() measures. The base model is fitted on
  // `train` unless given as `base`. Count-vote memories only.
  static Result<std::unique_ptr<Experiment>> fromMemory(
      std::shared_ptr<const TokenisedCorpus> corpus, InstanceSet train, InstanceSet test,
      std::shared_ptr<const Classifier> classifier, std::shared_ptr<const KneserNeyModel> base,
      const ExperimentOptions& options, JobControl* job = nullptr);
  // What a sharded run (docs/spec/distributed.md) gives rank 0 of a memory trained over the
  // ranks: the corpus (its tokens may be only rank 0's block), the validation and test parts,
  // a classifier that answers their queries (the memory itself is on the ranks), the base model
  // fitted on the whole train part, and the train part's class counts and sizes.
  struct ShardedParts {
    std::shared_ptr<const TokenisedCorpus> corpus;
    InstanceSet validation;
    InstanceSet test;
    std::unique_ptr<Classifier> classifier;
    std::unique_ptr<KneserNeyModel> base;
    std::vector<uint64_t> trainClassCounts;
    uint64_t trainInstances = 0;
    uint32_t storedVectors = 0;
    double trainSeconds = 0.0;
  };
  // `parts` tuned on validation and recorded as trained() tunes and records its memory, so that
  // evaluated() of it gives one process's record. train() is empty, and hasProvenance() false
  // unless the corpus holds every token. Count-vote memories only.
  static Result<std::unique_ptr<Experiment>> fromShards(ShardedParts parts,
                                                        const ExperimentOptions& options,
                                                        JobControl* job = nullptr);
  Experiment(const Experiment&) = delete;
  Experiment& operator=(const Experiment&) = delete;

  const TokenisedCorpus& corpus() const { return *corpus_; }
  const DataSplit& split() const { return split_; }
  const InstanceSet& train() const { return *train_; }
  // The train part's size and instance i's source, which a memory file answers without the copy
  // train() makes of the whole part.
  size_t trainSize() const { return train_.size(); }
  uint64_t trainSource(size_t i) const { return train_.source(i); }
  const InstanceSet& validation() const { return *validation_; }
  // Its first min(n, size) instances, which a memory file copies without the rest of the part.
  InstanceSet validationPrefix(size_t n) const { return validation_.prefix(n); }
  const InstanceSet& test() const { return *test_; }
  const Classifier& classifier() const { return *classifier_; }
  const KneserNeyModel& base() const { return *base_; }
  // False for a memory without the text it was trained on (fromMemory() without it): its
  // stored vectors then have no provenance, and train() sources name no token.
  bool hasProvenance() const { return corpus_->tokens.size() > 0; }
  // With the β, or for the vector memory the fixed λ, tuned on validation.
  MemorySmoother smoother() const;
  // The attention read when the algorithm is kVectorMemory, else null.
  const VectorMemory* vectorMemory() const;
  const EvaluationReport& report() const { return report_; }
  const RunRecord& record() const { return record_; }
  // How often each vocabulary id was a training target.
  const std::vector<uint64_t>& trainClassCounts() const { return trainClassCounts_; }

 private:
  friend class ExperimentFile;  // memory files (core/src/memfile/) restore every member
  Experiment() = default;
  // A new experiment sharing all of `original` (memory, data, base model) with a copy of its
  // record and no report.
  static std::unique_ptr<Experiment> sharing(const Experiment& original);
  // Takes the parts of a memory trained and tuned (corpus_, split_, classifier_ and base_
  // already set) and records what made it.
  void keep(InstanceSet train, InstanceSet validation, InstanceSet test,
            const ExperimentOptions& options, int ngramOrder, double beta,
            const VectorMemoryTuning& vector, double trainSeconds);
  std::shared_ptr<const TokenisedCorpus> corpus_;
  DataSplit split_;
  // Shared with the experiments made from this one (evaluated(), withMemory()); an opened memory
  // file's are copied out of it when first read.
  LazyInstanceSet train_, validation_, test_;
  std::shared_ptr<const Classifier> classifier_;
  std::shared_ptr<const KneserNeyModel> base_;
  std::vector<uint64_t> trainClassCounts_;
  EvaluationReport report_;
  RunRecord record_;
};

struct LearningCurvePoint {
  uint64_t trainInstances = 0;
  uint32_t storedVectors = 0;
  double smoothingBeta = 0.0;
  Metrics metrics;
};

// The training prefixes learningCurve() evaluates: 10^3, 10^4, … below `trainInstances`, then
// all of them.
std::vector<uint64_t> learningCurvePrefixes(uint64_t trainInstances);

// Accuracy and perplexity on the experiment's test set as memory grows through training prefixes
// of 10^3, 10^4, … instances and finally all of them. One classifier grows by add() (no retraining
// from zero); the base model and the smoothing are refitted at each prefix (on that prefix and on
// validation). `onPoint` runs after each point, on the calling thread, for live charts. The last
// point of an evaluated experiment (report().complete) is its own memory's figures, not a regrown
// copy's.
Result<std::vector<LearningCurvePoint>> learningCurve(
    const Experiment& experiment, JobControl* job = nullptr,
    const std::function<void(const LearningCurvePoint&)>& onPoint = {});

}  // namespace memlens
