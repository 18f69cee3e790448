// Explanation and evaluation speed on the KJV demo corpus (split by lines, width 4, the first
// 10,000 test tokens), on 2 threads:
//   (a) tracing one token under IB1 trained on 90 % of the lines: latency percentiles;
//   (b) evaluating the 10,000 test tokens with IGTree, TRIBL2 and IB1;
//   (c) the IGTree learning curve over every training prefix (10^3, 10^4, ..., all).
// Usage: bench_explain [CORPUS]; defaults to the KJV demo corpus.

#include <tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/option_names.h"
#include "memlens/trace.h"

using namespace memlens;

namespace {

constexpr int kThreads = 2;
constexpr uint64_t kTestTokens = 10000;
constexpr int kTraces = 1000;
constexpr int kEvaluations = 3;

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int fail(const Status& status) {
  std::fprintf(stderr, "bench_explain: %s\n", status.toString().c_str());
  return 1;
}

Result<std::unique_ptr<Experiment>> runExperiment(std::shared_ptr<const TokenisedCorpus> corpus,
                                                  Algorithm algorithm, double trainFraction = 0.8,
                                                  double validationFraction = 0.1) {
  ExperimentOptions o;
  o.classifier.algorithm = algorithm;
  o.split.trainFraction = trainFraction;
  o.split.validationFraction = validationFraction;
  o.maxTestTokens = kTestTokens;
  return Experiment::run(std::move(corpus), o);
}

double percentile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5)];
}

void benchTraces(const Experiment& e) {
  std::mt19937 rng(1);
  std::vector<double> ms;
  size_t neighbours = 0;
  for (int i = 0; i < kTraces; ++i) {
    const auto query = e.test().instance(rng() % e.test().size());
    const auto start = Clock::now();
    const Trace t = traceContext(e, query);
    ms.push_back(secondsSince(start) * 1e3);
    for (const BucketTrace& b : t.buckets) neighbours += b.neighbours.size();
  }
  std::printf(
      "(a) IB1 trace of one token, %d random test positions, %llu training instances (split "
      "90/5/5):\n"
      "    p50 %.2f ms, p99 %.2f ms, max %.2f ms (goal p99 <= 20 ms); %.1f neighbours per trace\n",
      kTraces, static_cast<unsigned long long>(e.train().size()), percentile(ms, 0.5),
      percentile(ms, 0.99), *std::max_element(ms.begin(), ms.end()),
      static_cast<double>(neighbours) / kTraces);
}

// Times evaluate() on the experiment's test tokens, as Experiment::run calls it.
Status benchEvaluation(const Experiment& e, double goalSeconds) {
  double best = 1e300, worst = 0.0;
  for (int run = 0; run < kEvaluations; ++run) {
    const auto start = Clock::now();
    auto report =
        evaluate(e.classifier(), e.smoother(), e.test(), e.trainClassCounts(), &e.corpus().tokens);
    if (!report) return report.status();
    const double s = secondsSince(start);
    best = std::min(best, s);
    worst = std::max(worst, s);
  }
  const RunRecord& r = e.record();
  std::printf(
      "    %-7s evaluate %llu tokens: best %.3f s, worst %.3f s of %d (goal <= %.0f s); "
      "train %.2f s; accuracy %.4f\n",
      std::string(optionLabel(r.options.classifier.algorithm)).c_str(),
      static_cast<unsigned long long>(e.test().size()), best, worst, kEvaluations, goalSeconds,
      r.trainSeconds, r.test.accuracy());
  return Status::ok();
}

Status benchCurve(const Experiment& e) {
  const auto start = Clock::now();
  auto points = learningCurve(e);
  if (!points) return points.status();
  const double s = secondsSince(start);
  std::printf(
      "(c) IGTree learning curve, %zu prefixes, %llu test tokens each: %.2f s (goal <= 60 s)\n",
      points->size(), static_cast<unsigned long long>(e.test().size()), s);
  for (const LearningCurvePoint& p : *points) {
    std::printf("    %9llu instances  accuracy %.4f  perplexity %8.1f\n",
                static_cast<unsigned long long>(p.trainInstances), p.metrics.accuracy(),
                p.metrics.perplexity());
  }
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : MEMLENS_DEMO_CORPUS;
  tbb::global_control threads(tbb::global_control::max_allowed_parallelism, kThreads);
  auto corpus = TokenisedCorpus::load({path}, {});
  if (!corpus) return fail(corpus.status());
  std::printf("%s: %zu tokens; %d threads\n", path.c_str(), (*corpus)->tokens.size(), kThreads);

  {
    // The largest memory the demo corpus gives IB1 (~830k instances): train on 90 % of lines.
    auto large = runExperiment(*corpus, Algorithm::kIb1, 0.9, 0.05);
    if (!large) return fail(large.status());
    benchTraces(**large);
  }
  std::printf("(b) evaluation of the first %llu test tokens (split 80/10/10):\n",
              static_cast<unsigned long long>(kTestTokens));
  {
    auto ib1 = runExperiment(*corpus, Algorithm::kIb1);
    if (!ib1) return fail(ib1.status());
    if (Status s = benchEvaluation(**ib1, 2.0); !s) return fail(s);
  }
  auto igtree = runExperiment(*corpus, Algorithm::kIgTree);
  if (!igtree) return fail(igtree.status());
  if (Status s = benchEvaluation(**igtree, 1.0); !s) return fail(s);
  {
    auto tribl2 = runExperiment(*corpus, Algorithm::kTribl2);
    if (!tribl2) return fail(tribl2.status());
    if (Status s = benchEvaluation(**tribl2, 1.0); !s) return fail(s);
  }
  if (Status s = benchCurve(**igtree); !s) return fail(s);
  return 0;
}
