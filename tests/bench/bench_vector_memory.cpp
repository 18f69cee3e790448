// The vector memory on the KJV demo corpus (docs/spec/vector-memory.md): word-vector
// training time, the latency of one read, the evaluation of the whole test split, and test
// perplexity of the Kneser-Ney base alone, base + memory with PPMI-SVD keys, and with one-hot
// keys (the pilot's two variants); then IB1 and IGTree on the same split, for the time ratio.
// Usage: bench_vector_memory [CORPUS [--scale]]; defaults to the KJV demo corpus. --scale: the
// read latency alone, over a memory of CORPUS read in OLIFANT blocks (lines joined, so that a
// corpus of shuffled copies gives new contexts across its line boundaries).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/feature_weights.h"
#include "memlens/instance_builder.h"
#include "memlens/option_names.h"
#include "memlens/vector_memory.h"
#include "memlens/word_vectors.h"

using namespace memlens;

namespace {

constexpr size_t kQueries = 2000;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// This thread's CPU time: on a shared machine a read's wall time also counts the time slices it
// waited for a CPU, which at a load of 10 on 2 cores makes up most of a wall-clock p99.
double threadSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

struct Percentiles {
  double p50, p99;
};
Percentiles percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[v.size() * 99 / 100]};
}

int fail(const Status& status) {
  std::fprintf(stderr, "bench_vector_memory: %s\n", status.toString().c_str());
  return 1;
}

// One read at a time over a memory of every instance of the corpus: median and 99th percentile.
Status benchQueries(const TokenisedCorpus& c, const WordVectors& vectors, BlockMode blocks) {
  WindowOptions window;
  window.blocks = blocks;
  auto all = buildInstances(c.tokens, c.paddingId, window);
  if (!all) return all.status();
  InstanceBase memory(all->width);
  if (Status s = memory.add(*all); !s) return s;
  const std::vector<double> weights = computeFeatureWeights(
      memory.featureCounts(), memory.classTotals(), FeatureWeighting::kGainRatio);
  auto built = std::chrono::steady_clock::now();
  const VectorMemory read(memory, weights, &vectors, {});
  std::printf("memory of %zu instances in %u slots; the read's index built in %.2f s\n",
              all->size(), memory.vectorCount(), secondsSince(built));
  // The same reads twice: first with each word's distances computed on its first use, then with
  // every word seen (as in a long evaluation).
  for (const char* pass : {"first", "again"}) {
    std::vector<double> wall, cpu;
    for (size_t q = 0; q < kQueries; ++q) {
      const size_t i = q * all->size() / kQueries;
      const auto start = std::chrono::steady_clock::now();
      const double cpuStart = threadSeconds();
      const VectorRead r = read.read(all->instance(i));
      cpu.push_back(threadSeconds() - cpuStart);
      wall.push_back(secondsSince(start));
      if (r.slots.empty()) return Status::invalidArgument("a read found no slot");
    }
    const Percentiles w = percentiles(wall), t = percentiles(cpu);
    // Goal (issue 20): 10x faster than the unbounded scan's p50 2.4 ms / p99 6.1 ms.
    std::printf(
        "one read, %s (top-k %d over %u slots, one thread): p50 %.3f ms, p99 %.3f ms; CPU time "
        "p50 %.3f ms, p99 %.3f ms (goal: p50 <= 0.24 ms, p99 <= 0.61 ms)\n",
        pass, read.options().topK, memory.vectorCount(), w.p50 * 1e3, w.p99 * 1e3, t.p50 * 1e3,
        t.p99 * 1e3);
  }
  // In lines, the reads' long tail is one context: all padding, before every line's first word
  // (its slot has thousands of classes; its candidates are broad and far).
  const std::vector<uint32_t> padding(size_t(all->width), c.paddingId);
  std::vector<double> cpu;
  for (size_t q = 0; q < kQueries / 4; ++q) {
    const double cpuStart = threadSeconds();
    const VectorRead r = read.read(padding);
    cpu.push_back(threadSeconds() - cpuStart);
    if (r.slots.empty()) return Status::invalidArgument("a read found no slot");
  }
  const Percentiles t = percentiles(cpu);
  std::printf("the all-padding context read %zu times: CPU time p50 %.3f ms, p99 %.3f ms\n",
              cpu.size(), t.p50 * 1e3, t.p99 * 1e3);
  return Status::ok();
}

void printMetrics(const char* label, const Metrics& m) {
  std::printf("  %-34s accuracy %.4f  top-5 %.4f  perplexity %8.2f\n", label, m.accuracy(),
              m.top5(), m.perplexity());
}

struct RunSeconds {
  double evaluate = 0.0, whole = 0.0;
};

// Trains and evaluates one model on the default split.
Result<RunSeconds> benchExperiment(std::shared_ptr<const TokenisedCorpus> corpus,
                                   Algorithm algorithm, int dimensions) {
  ExperimentOptions o;
  o.classifier.algorithm = algorithm;
  o.classifier.wordVectors.dimensions = dimensions;
  const auto start = std::chrono::steady_clock::now();
  auto e = Experiment::run(std::move(corpus), o);
  if (!e) return e.status();
  const RunRecord& r = (*e)->record();
  if (algorithm == Algorithm::kVectorMemory) {
    std::printf(
        "\nvector memory, %s keys: %llu train instances in %u slots; T = %g, lambda = %g "
        "(tuned on %llu validation tokens)\n",
        dimensions ? "PPMI-SVD" : "one-hot", static_cast<unsigned long long>(r.trainInstances),
        r.storedVectors, r.memoryTemperature, r.memoryLambda,
        static_cast<unsigned long long>(r.tuningTokens));
  } else {
    std::printf("\n%s: %llu train instances in %u stored vectors\n",
                std::string(optionLabel(algorithm)).c_str(),
                static_cast<unsigned long long>(r.trainInstances), r.storedVectors);
  }
  const double whole = secondsSince(start);
  std::printf(
      "  train %.2f s, evaluate %llu test tokens (the whole test split) %.2f s, "
      "whole run %.2f s\n",
      r.trainSeconds, static_cast<unsigned long long>(r.test.tokens), r.evaluateSeconds, whole);
  printMetrics("Kneser-Ney base alone", r.baseTest);
  printMetrics(algorithm == Algorithm::kVectorMemory ? "base + vector memory" : "memory, smoothed",
               r.test);
  std::printf("  perplexity change vs base: %+.2f %%\n",
              100.0 * (r.test.perplexity() / r.baseTest.perplexity() - 1.0));
  return RunSeconds{r.evaluateSeconds, whole};
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress as it happens when piped to a file
  const std::string path = argc > 1 ? argv[1] : MEMLENS_DEMO_CORPUS;
  const bool scale = argc > 2 && std::string(argv[2]) == "--scale";
  auto loaded = TokenisedCorpus::load({path}, {});
  if (!loaded) return fail(loaded.status());
  std::shared_ptr<const TokenisedCorpus> corpus = std::move(*loaded);
  std::printf("%s: %zu tokens, %u types\n", path.c_str(), corpus->tokens.size(),
              corpus->vocab.size());

  const auto start = std::chrono::steady_clock::now();
  auto vectors = WordVectors::train(corpus->tokens, corpus->vocab.size());
  if (!vectors) return fail(vectors.status());
  std::printf("word vectors (d = %d) on every token: %.2f s (goal <= 10 s)\n",
              (*vectors)->dimensions(), secondsSince(start));
  if (Status s = benchQueries(*corpus, **vectors, scale ? BlockMode::kOlifant : BlockMode::kLine);
      !s)
    return fail(s);
  if (scale) return 0;

  const int dims = WordVectorOptions{}.dimensions;
  auto learnt = benchExperiment(corpus, Algorithm::kVectorMemory, dims);
  if (!learnt) return fail(learnt.status());
  auto oneHot = benchExperiment(corpus, Algorithm::kVectorMemory, 0);
  if (!oneHot) return fail(oneHot.status());
  auto ib1 = benchExperiment(corpus, Algorithm::kIb1, dims);
  if (!ib1) return fail(ib1.status());
  auto igtree = benchExperiment(corpus, Algorithm::kIgTree, dims);
  if (!igtree) return fail(igtree.status());
  // The goal is on the CLI's eval, a fresh process for each engine (run_vector_bench.sh times it):
  // here the runs share one process and one loaded corpus, and IB1's takes about 0.3 s less than
  // the CLI's, so this ratio is not the goal's.
  std::printf(
      "\nevaluation of the test split alone: vector %.2f s (one-hot %.2f s), IB1 %.2f s, "
      "IGTree %.2f s; vector / IB1 = %.2fx\n"
      "whole runs (train, tune, evaluate) in this process: vector %.2f s, IB1 %.2f s; vector / "
      "IB1 = %.2fx (the goal, <= 3x, is on the CLI's eval: run_vector_bench.sh times it)\n",
      learnt->evaluate, oneHot->evaluate, ib1->evaluate, igtree->evaluate,
      learnt->evaluate / ib1->evaluate, learnt->whole, ib1->whole, learnt->whole / ib1->whole);
  return 0;
}
