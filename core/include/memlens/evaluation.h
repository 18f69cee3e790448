#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/memory_smoother.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"
#include "memlens/vector_memory.h"

namespace memlens {

// One evaluated test token (docs/spec/evaluation.md).
struct TokenRecord {
  uint64_t source = 0;  // the test instance's source (token index in the corpus)
  uint32_t trueId = 0;
  uint32_t predictedId = 0;
  // 1 when the memory's prediction is right; otherwise 1 + the number of tokens ranked above the
  // true one: the prediction first, then the rest by smoothed probability.
  uint32_t rank = 0;
  double probability = 0.0;  // smoothed p(true token)
  double entropyBits = 0.0;  // of the smoothed distribution
  int matchDepth = 0;
  double distance = 0.0;
  double latencyMicros = 0.0;  // of the memory lookup alone
};

// Sums over tokens; the rates are derived.
struct Metrics {
  uint64_t tokens = 0;
  uint64_t correct = 0;
  uint64_t inTop5 = 0;
  double reciprocalRankSum = 0.0;
  double log2ProbabilitySum = 0.0;

  void add(const TokenRecord& r);
  double accuracy() const { return tokens ? double(correct) / double(tokens) : 0.0; }
  double top5() const { return tokens ? double(inTop5) / double(tokens) : 0.0; }
  double meanReciprocalRank() const { return tokens ? reciprocalRankSum / double(tokens) : 0.0; }
  double crossEntropyBits() const { return tokens ? -log2ProbabilitySum / double(tokens) : 0.0; }
  double perplexity() const;
};

// Tokens grouped by how often the true token occurred as a training target.
struct FrequencyBand {
  std::string label;  // "unseen", "1", "2-10", ...
  uint64_t minCount = 0;
  uint64_t maxCount = 0;
  Metrics metrics;
};

struct EvaluationReport {
  // False when the evaluation was cancelled (or never ran): then every figure below is over the
  // random sample of `evaluatedTokens` test tokens it finished, not over all `testTokens`.
  bool complete = false;
  uint64_t evaluatedTokens = 0;
  uint64_t testTokens = 0;
  Metrics overall;
  // The base model alone on the same tokens, for comparison with the memory: the rank of the
  // true token is 1 + the number of outcomes the base finds more probable.
  Metrics base;
  std::vector<FrequencyBand> bands;
  std::map<int, Metrics> byMatchDepth;
  std::map<uint32_t, Metrics> byDocument;  // only when a TokenStream was given
  std::vector<TokenRecord> tokens;         // in test order
  std::string smoothing;                   // MemorySmoother::describe()
};

// Evaluates `classifier` on `test`, in parallel (oneTBB). `trainClassCounts[id]` is how often
// token id was a training target (for the frequency bands). `tokens`, when given, maps sources
// to documents for the per-document break-down.
Result<EvaluationReport> evaluate(const Classifier& classifier, const MemorySmoother& smoother,
                                  const InstanceSet& test,
                                  std::span<const uint64_t> trainClassCounts,
                                  const TokenStream* tokens = nullptr, JobControl* job = nullptr);

// A 95 % interval.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

// Where a progressive evaluation stands after a chunk: the metrics over the random sample of
// test tokens evaluated so far, with 95 % intervals for the whole test set's values
// (docs/spec/evaluation.md), and a time-left estimate from the pace so far.
struct EvaluationUpdate {
  uint64_t evaluatedTokens = 0;
  uint64_t testTokens = 0;
  Metrics sample;  // summed in sample order: may differ from the final sums in the last bits
  Interval accuracy;
  Interval perplexity;
  double seconds = 0.0;      // since the evaluation started
  double secondsLeft = 0.0;  // at the pace so far
};

struct ProgressiveEvaluationOptions {
  uint64_t seed = 1;  // of the random order in which test tokens are evaluated
  // Chunk sizes (tokens between updates) double from the first to the largest: an early first
  // update, then few enough that updating costs nothing measurable.
  size_t firstChunk = 1024;
  size_t largestChunk = 16384;
};

// evaluate(), progressively: test tokens are evaluated in a fixed random order (by `options.seed`)
// in chunks, and `onUpdate` runs after each chunk, on the calling thread. The complete report is
// the same as evaluate()'s, to the last bit (per-token values are summed in test order at the
// end). Cancelled through `job`, it returns the report over the chunks it finished, with
// complete = false, instead of Status::cancelled().
Result<EvaluationReport> evaluateProgressively(
    const Classifier& classifier, const MemorySmoother& smoother, const InstanceSet& test,
    std::span<const uint64_t> trainClassCounts, const TokenStream* tokens,
    const ProgressiveEvaluationOptions& options,
    const std::function<void(const EvaluationUpdate&)>& onUpdate, JobControl* job = nullptr);

// The 95 % intervals of an update over `sample`, a simple random sample of `sample.tokens` of
// `population` tokens; `log2ProbabilitySquares` is Σ log2(p)² over the sample.
EvaluationUpdate describeSample(const Metrics& sample, double log2ProbabilitySquares,
                                uint64_t population);

// Picks the smoother's β that minimises cross-entropy on `validation` (grid search over
// 0.01 … 30). Never pass the test set here.
Result<double> tuneSmoothing(const Classifier& classifier, const KneserNeyModel& base,
                             const InstanceSet& validation, JobControl* job = nullptr);

struct VectorMemoryTuning {
  double temperature = 1.0;
  double lambda = 0.0;
  uint64_t tokens = 0;  // validation tokens searched (0 when both values were given)
};

// Each tuning token costs the vector memory a top-k search; 10^4 of them pin T and λ to within a
// grid step while tuning stays a fraction of the evaluation.
inline constexpr size_t kVectorTuningTokens = 10000;

// The indices of the validation tokens tuneVectorMemory() searches: at most `maxTokens` (at least
// one), evenly spaced over `validationSize`.
std::vector<size_t> vectorTuningSample(size_t validationSize, size_t maxTokens);

// Picks the vector memory's temperature T and fixed λ that minimise the cross-entropy of
// λ·p_mem + (1 − λ)·p_base on at most `maxTokens` evenly spaced tokens of `validation` (grid
// search; each token is searched once, since the slots read do not depend on T). A value given
// in `temperature` or `lambda` is kept as it is. Never pass the test set here.
Result<VectorMemoryTuning> tuneVectorMemory(const AttentionRead& memory, const KneserNeyModel& base,
                                            const InstanceSet& validation, size_t maxTokens,
                                            std::optional<double> temperature,
                                            std::optional<double> lambda,
                                            JobControl* job = nullptr);

}  // namespace memlens
