#include "memlens/evaluation.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <random>

#include "base/fork_join_edges.h"
#include "vector/attention_classifier.h"

namespace memlens {

namespace {

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

std::vector<FrequencyBand> makeBands() {
  return {{"unseen", 0, 0, {}},        {"1", 1, 1, {}},
          {"2-10", 2, 10, {}},         {"11-100", 11, 100, {}},
          {"101-1000", 101, 1000, {}}, {">1000", 1001, kNoLimit, {}}};
}

PredictOptions votesOnly() {
  PredictOptions options;
  options.distributions = true;
  options.neighbours = false;
  return options;
}

// An order of tokens (k: instance(index(k)) of `set`) by context, its features from the
// highest-weight position down (ties, and positions without a weight: in order), then by k. Read
// in this order, neighbouring lookups share the memory's data they fetch, warm in cache, and a
// repeated context follows its twin.
template <typename Index>
auto contextOrder(const InstanceSet& set, const std::vector<double>& weights, Index index) {
  std::vector<size_t> positions(size_t(std::max(set.width, 0)));
  std::iota(positions.begin(), positions.end(), size_t{0});
  auto weight = [&](size_t j) { return j < weights.size() ? weights[j] : 0.0; };
  std::stable_sort(positions.begin(), positions.end(),
                   [&](size_t a, size_t b) { return weight(a) > weight(b); });
  return [&set, positions, index](size_t a, size_t b) {
    const auto x = set.instance(index(a)), y = set.instance(index(b));
    for (const size_t j : positions) {
      if (x[j] != y[j]) return x[j] < y[j];
    }
    return a < b;
  };
}

// Runs body(i) for every i in [0, n) on oneTBB workers, polling `job` between chunks; body(i)
// returns how many units of `total` it did, and progress counts them on from `done`.
template <typename Body>
Status forEachParallel(size_t n, size_t done, size_t total, JobControl* job, const char* stage,
                       const Body& body) {
  std::atomic<size_t> progress{done};
  std::atomic<bool> cancelled{false};
  ForkJoinEdges edges;
  const auto chunk = [&](const tbb::blocked_range<size_t>& range) {
    const ForkJoinEdges::Chunk edge(edges);
    if (cancelled.load(std::memory_order_relaxed) || cancelRequested(job)) {
      cancelled = true;
      return;
    }
    size_t units = 0;
    for (size_t i = range.begin(); i != range.end(); ++i) units += body(i);
    const size_t now = progress.fetch_add(units) + units;
    reportProgress(job, static_cast<double>(now) / static_cast<double>(total), stage);
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 64), chunk);
  edges.join();
  return cancelled ? Status::cancelled() : Status::ok();
}

template <typename Body>
Status forEachParallel(size_t n, JobControl* job, const char* stage, const Body& body) {
  return forEachParallel(n, 0, n, job, stage, [&](size_t i) {
    body(i);
    return size_t{1};
  });
}

// The distinct values of the queries set.instance(index(i)), i < n (what AttentionRead::prepare()
// is given).
template <typename Index>
std::vector<uint32_t> queryValues(const InstanceSet& set, size_t n, Index index) {
  std::vector<bool> seen;
  std::vector<uint32_t> values;
  for (size_t i = 0; i < n; ++i) {
    for (const uint32_t v : set.instance(index(i))) {
      if (v >= seen.size()) seen.resize(size_t{v} + 1, false);
      if (!seen[v]) values.push_back(v);
      seen[v] = true;
    }
  }
  return values;
}

// A context's lookup, which every token that has it reports (the prediction depends on the
// context alone).
struct Lookup {
  Prediction prediction;
  double latencyMicros = 0.0;
};

Lookup lookUp(const Classifier& classifier, std::span<const uint32_t> features) {
  const auto start = std::chrono::steady_clock::now();
  Lookup out{classifier.predictOne(features, votesOnly()), 0.0};
  const auto stop = std::chrono::steady_clock::now();
  out.latencyMicros = std::chrono::duration<double, std::micro>(stop - start).count();
  return out;
}

// A context's smoothed distributions: the base model's alone and the memory's mixed in.
struct Smoothed {
  SmoothedDistribution base;
  SmoothedDistribution dist;
};

// Test tokens numbered by their context, equal contexts one number, in contextOrder(): sorted by
// (number, token), tokens are in context order.
struct ContextNumbers {
  std::vector<uint32_t> of;  // by token
  size_t count = 0;
};

ContextNumbers numberContexts(const InstanceSet& set, const std::vector<double>& weights) {
  std::vector<size_t> sorted(set.size());
  std::iota(sorted.begin(), sorted.end(), size_t{0});
  tbb::parallel_sort(sorted.begin(), sorted.end(),
                     contextOrder(set, weights, [](size_t i) { return i; }));
  ContextNumbers numbers;
  numbers.of.resize(set.size());
  for (size_t k = 0; k < sorted.size(); ++k) {
    if (k > 0 && !std::ranges::equal(set.instance(sorted[k]), set.instance(sorted[k - 1])))
      ++numbers.count;
    numbers.of[sorted[k]] = static_cast<uint32_t>(numbers.count);
  }
  numbers.count += sorted.empty() ? 0 : 1;
  return numbers;
}

// What the base model alone gives a token (EvaluationReport::base).
struct BaseScore {
  double probability = 0.0;
  uint32_t rank = 0;
};

// Test token i's record, from its context's lookup and distributions; `unknown`: the base's
// outcome for a token outside its vocabulary.
TokenRecord scoreToken(const Lookup& lookup, const Smoothed& smoothed, const InstanceSet& test,
                       size_t i, uint32_t unknown, BaseScore& base) {
  const Prediction& p = lookup.prediction;
  const SmoothedDistribution& dist = smoothed.dist;

  TokenRecord r;
  r.source = test.sources[i];
  r.trueId = test.classes[i];
  r.predictedId = p.classId;
  r.matchDepth = p.matchDepth;
  r.distance = p.distance;
  r.latencyMicros = lookup.latencyMicros;
  const uint32_t trueOutcome = std::min(r.trueId, unknown);
  const double truth = dist.probability(trueOutcome);
  r.probability = truth;
  if (p.classId == r.trueId) {
    r.rank = 1;
  } else {
    // The prediction ranks first, then every other outcome more probable than the truth.
    const bool predictionAbove = dist.probability(std::min(p.classId, unknown)) > truth;
    r.rank =
        static_cast<uint32_t>(2 + dist.countAboveOutcome(trueOutcome) - (predictionAbove ? 1 : 0));
  }
  r.entropyBits = dist.entropyBits();
  base.probability = smoothed.base.probability(trueOutcome);
  base.rank = static_cast<uint32_t>(1 + smoothed.base.countAboveOutcome(trueOutcome));
  return r;
}

// Sums report.tokens, in their order, into the overall metrics and the break-downs.
void summarise(EvaluationReport& report, std::span<const uint64_t> trainClassCounts,
               const TokenStream* tokens) {
  report.bands = makeBands();
  for (const TokenRecord& r : report.tokens) {
    report.overall.add(r);
    const uint64_t count = r.trueId < trainClassCounts.size() ? trainClassCounts[r.trueId] : 0;
    for (FrequencyBand& band : report.bands) {
      if (count >= band.minCount && count <= band.maxCount) band.metrics.add(r);
    }
    report.byMatchDepth[r.matchDepth].add(r);
    if (tokens) report.byDocument[tokens->position(r.source).document].add(r);
  }
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void Metrics::add(const TokenRecord& r) {
  ++tokens;
  correct += r.rank == 1;
  inTop5 += r.rank <= 5;
  reciprocalRankSum += 1.0 / r.rank;
  log2ProbabilitySum += std::log2(r.probability);
}

double Metrics::perplexity() const { return std::exp2(crossEntropyBits()); }

Result<EvaluationReport> evaluate(const Classifier& classifier, const MemorySmoother& smoother,
                                  const InstanceSet& test,
                                  std::span<const uint64_t> trainClassCounts,
                                  const TokenStream* tokens, JobControl* job) {
  auto report =
      evaluateProgressively(classifier, smoother, test, trainClassCounts, tokens, {}, {}, job);
  if (report && !report->complete) return Status::cancelled();
  return report;
}

Result<EvaluationReport> evaluateProgressively(
    const Classifier& classifier, const MemorySmoother& smoother, const InstanceSet& test,
    std::span<const uint64_t> trainClassCounts, const TokenStream* tokens,
    const ProgressiveEvaluationOptions& options,
    const std::function<void(const EvaluationUpdate&)>& onUpdate, JobControl* job) {
  if (test.size() == 0) return Status::invalidArgument("the test set is empty");
  const auto start = std::chrono::steady_clock::now();
  const size_t n = test.size();
  // Each token's record lands at its test position, so the sums at the end run in test order
  // whatever order the tokens were evaluated in.
  std::vector<TokenRecord> records(n);
  std::vector<BaseScore> baseScores(n);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::shuffle(order.begin(), order.end(), std::mt19937_64(options.seed));

  std::vector<size_t> chunkEnds;
  for (size_t chunk = std::max<size_t>(options.firstChunk, 1), end = 0; end < n;
       chunk = std::min(std::max<size_t>(options.largestChunk, 1), chunk * 2)) {
    end = std::min(n, end + chunk);
    chunkEnds.push_back(end);
  }
  // Each context is looked up once: a chunk's tokens sorted by context number hold each of its
  // contexts as one run, and a context that a later chunk meets again keeps its lookup until its
  // last chunk.
  const ContextNumbers contexts = numberContexts(test, classifier.weights());
  const std::vector<uint32_t>& context = contexts.of;
  std::vector<uint32_t> lastChunk(contexts.count, 0);
  for (size_t c = 0, k = 0; c < chunkEnds.size(); ++c) {
    for (; k < chunkEnds[c]; ++k) lastChunk[context[order[k]]] = static_cast<uint32_t>(c);
  }
  std::vector<std::unique_ptr<Lookup>> kept(contexts.count);
  tbb::enumerable_thread_specific<Smoothed> scratch;
  const uint32_t unknown = smoother.base().vocabSize();
  const auto* attention = dynamic_cast<const AttentionClassifier*>(&classifier);
  const AttentionRead* read = attention ? attention->attentionRead() : nullptr;
  std::vector<size_t> runs;  // a chunk's runs of one context: their first positions in `order`
  Metrics sample;
  double squares = 0.0;
  size_t done = 0;
  for (size_t c = 0; c < chunkEnds.size(); ++c) {
    const size_t end = chunkEnds[c];
    std::sort(order.begin() + std::ptrdiff_t(done), order.begin() + std::ptrdiff_t(end),
              [&](size_t a, size_t b) {
                return context[a] != context[b] ? context[a] < context[b] : a < b;
              });
    runs.clear();
    for (size_t k = done; k < end; ++k) {
      if (k == done || context[order[k]] != context[order[k - 1]]) runs.push_back(k);
    }
    runs.push_back(end);
    if (read) {
      read->prepare(queryValues(test, end - done, [&](size_t k) { return order[done + k]; }), job);
    }
    const Status status =
        forEachParallel(runs.size() - 1, done, n, job, "evaluating", [&](size_t run) {
          const size_t first = runs[run], last = runs[run + 1];
          const uint32_t number = context[order[first]];
          const auto features = test.instance(order[first]);
          Lookup fresh;
          const Lookup* lookup = kept[number].get();
          if (!lookup) {
            fresh = lookUp(classifier, features);
            lookup = &fresh;
          }
          Smoothed& smoothed = scratch.local();
          smoother.base().smoothed(features, smoothed.base);
          smoother.smoothed(lookup->prediction, smoothed.base, smoothed.dist);
          for (size_t k = first; k < last; ++k) {
            records[order[k]] =
                scoreToken(*lookup, smoothed, test, order[k], unknown, baseScores[order[k]]);
          }
          if (lastChunk[number] == c) {
            kept[number].reset();
          } else if (!kept[number]) {
            kept[number] = std::make_unique<Lookup>(std::move(fresh));
          }
          return last - first;
        });
    if (!status) break;  // cancelled: the sample is the chunks before this one
    for (size_t k = done; k < end; ++k) {
      const TokenRecord& r = records[order[k]];
      sample.add(r);
      squares += std::log2(r.probability) * std::log2(r.probability);
    }
    done = end;
    if (onUpdate) {
      EvaluationUpdate update = describeSample(sample, squares, n);
      update.seconds = secondsSince(start);
      update.secondsLeft =
          update.seconds * static_cast<double>(n - done) / static_cast<double>(done);
      onUpdate(update);
    }
  }

  EvaluationReport report;
  report.smoothing = smoother.describe();
  report.testTokens = n;
  report.evaluatedTokens = done;
  report.complete = done == n;
  // Summed in test order, as the memory's metrics are.
  std::vector<bool> evaluated(n, report.complete);
  for (size_t k = 0; k < done; ++k) evaluated[order[k]] = true;
  if (!report.complete) report.tokens.reserve(done);
  for (size_t i = 0; i < n; ++i) {
    if (!evaluated[i]) continue;
    TokenRecord base;
    base.probability = baseScores[i].probability;
    base.rank = baseScores[i].rank;
    report.base.add(base);
    if (!report.complete) report.tokens.push_back(records[i]);
  }
  if (report.complete) report.tokens = std::move(records);
  summarise(report, trainClassCounts, tokens);
  return report;
}

// Both intervals are for a simple random sample drawn without replacement, so they carry the
// finite-population correction √((N − n)/(N − 1)) and close on the exact value at n = N.
EvaluationUpdate describeSample(const Metrics& sample, double log2ProbabilitySquares,
                                uint64_t population) {
  EvaluationUpdate u;
  u.sample = sample;
  u.evaluatedTokens = sample.tokens;
  u.testTokens = population;
  if (sample.tokens == 0) return u;
  const auto n = static_cast<double>(sample.tokens);
  const auto big = static_cast<double>(population);
  const double fpc = big > 1.0 ? std::sqrt(std::max(0.0, (big - n) / (big - 1.0))) : 0.0;
  const double z = 1.96 * fpc;
  // Wilson score interval: sound near 0 and 1 and for small samples, unlike p̂ ± z·se.
  const double p = sample.accuracy();
  const double denominator = 1.0 + z * z / n;
  const double centre = (p + z * z / (2.0 * n)) / denominator;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator;
  u.accuracy = {std::max(0.0, centre - half), std::min(1.0, centre + half)};
  // Perplexity is 2^(mean −log2 p): a normal interval on that mean, mapped through 2^x.
  const double mean = sample.log2ProbabilitySum / n;
  const double variance =
      n > 1.0 ? std::max(0.0, (log2ProbabilitySquares - n * mean * mean) / (n - 1.0)) : 0.0;
  const double margin = z * std::sqrt(variance / n);
  u.perplexity = {std::exp2(-mean - margin), std::exp2(-mean + margin)};
  return u;
}

Result<double> tuneSmoothing(const Classifier& classifier, const KneserNeyModel& base,
                             const InstanceSet& validation, JobControl* job) {
  if (validation.size() == 0) return Status::invalidArgument("the validation set is empty");
  // Four numbers per token are all the grid needs: tokens are classified one by one, so a huge
  // validation set (millions of tokens, each with a wide distribution near the root of a tree)
  // never holds its distributions at once.
  const size_t n = validation.size();
  std::vector<double> baseProbability(n), vote(n), total(n), voted(n);
  const Status status = forEachParallel(n, job, "tuning the smoothing", [&](size_t i) {
    const auto features = validation.instance(i);
    const Prediction p = classifier.predictOne(features, votesOnly());
    baseProbability[i] = base.probability(features, validation.classes[i]);
    for (const ClassVote& v : p.distribution) {
      total[i] += v.weight;
      voted[i] += v.weight > 0.0;
      if (v.classId == validation.classes[i]) vote[i] = v.weight;
    }
  });
  if (!status) return status;
  double bestBeta = 1.0, bestLoss = std::numeric_limits<double>::infinity();
  for (const double beta : {0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0}) {
    double loss = 0.0;
    for (size_t i = 0; i < validation.size(); ++i) {
      const double lambda = total[i] > 0.0 ? total[i] / (total[i] + beta * voted[i]) : 0.0;
      const double share = total[i] > 0.0 ? vote[i] / total[i] : 0.0;
      loss -= std::log2(lambda * share + (1.0 - lambda) * baseProbability[i]);
    }
    if (loss < bestLoss) {
      bestLoss = loss;
      bestBeta = beta;
    }
  }
  return bestBeta;
}

std::vector<size_t> vectorTuningSample(size_t validationSize, size_t maxTokens) {
  const size_t n = std::min(validationSize, std::max<size_t>(maxTokens, 1));
  std::vector<size_t> samples(n);
  for (size_t i = 0; i < n; ++i) samples[i] = i * validationSize / n;
  return samples;
}

Result<VectorMemoryTuning> tuneVectorMemory(const AttentionRead& memory, const KneserNeyModel& base,
                                            const InstanceSet& validation, size_t maxTokens,
                                            std::optional<double> temperature,
                                            std::optional<double> lambda, JobControl* job) {
  if (temperature && lambda) return VectorMemoryTuning{*temperature, *lambda, 0};
  if (validation.size() == 0) return Status::invalidArgument("the validation set is empty");
  const std::vector<size_t> samples = vectorTuningSample(validation.size(), maxTokens);
  const size_t n = samples.size();
  auto sample = [&](size_t i) { return samples[i]; };

  const std::vector<double> temperatures =
      temperature ? std::vector<double>{*temperature}
                  : std::vector<double>{0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1,
                                        0.2,   0.5,   1.0,   2.0,  5.0,  10.0};
  // Per token: whether the memory read anything, and p_mem(true token) at every T of the grid,
  // from its one search (the slots read do not depend on T).
  std::vector<uint8_t> readSlots(n);
  std::vector<std::vector<double>> memoryProbabilities(n);
  std::vector<double> baseProbability(n);
  // The tokens in the order of their contexts, a repeated one reusing the search before it (as
  // evaluation's chunks; each token's values still land at its index).
  std::vector<size_t> visit(n);
  std::iota(visit.begin(), visit.end(), size_t{0});
  std::sort(visit.begin(), visit.end(),
            contextOrder(validation, memory.weights(), [&](size_t i) { return sample(i); }));
  struct Search {
    std::span<const uint32_t> context;
    std::vector<SlotRead> slots;
  };
  tbb::enumerable_thread_specific<Search> last;
  memory.prepare(queryValues(validation, n, sample), job);
  const Status status = forEachParallel(n, job, "tuning the vector memory", [&](size_t k) {
    const size_t i = visit[k], v = sample(i);
    Search& search = last.local();
    const auto context = validation.instance(v);
    if (search.context.empty() || !std::ranges::equal(context, search.context)) {
      search.slots = memory.nearest(context);
      search.context = context;
    }
    const std::vector<SlotRead>& slots = search.slots;
    readSlots[i] = !slots.empty();
    memoryProbabilities[i] = memory.classProbabilities(slots, validation.classes[v], temperatures);
    baseProbability[i] = base.probability(validation.instance(v), validation.classes[v]);
  });
  if (!status) return status;

  const std::vector<double> lambdas =
      lambda ? std::vector<double>{*lambda}
             : std::vector<double>{0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3,
                                   0.4,  0.5,  0.6, 0.7,  0.8, 0.9,  0.95};
  VectorMemoryTuning best;
  best.tokens = n;
  double bestLoss = std::numeric_limits<double>::infinity();
  for (size_t t = 0; t < temperatures.size(); ++t) {
    for (const double l : lambdas) {
      double loss = 0.0;
      for (size_t i = 0; i < n; ++i) {
        // A memory that read nothing leaves the base alone (MemorySmoother gives it λ = 0).
        const double weight = readSlots[i] ? l : 0.0;
        loss -= std::log2(weight * memoryProbabilities[i][t] + (1.0 - weight) * baseProbability[i]);
      }
      if (loss < bestLoss) {
        bestLoss = loss;
        best.temperature = temperatures[t];
        best.lambda = l;
      }
    }
  }
  return best;
}

}  // namespace memlens
