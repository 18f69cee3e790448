// The vector memory's bounded read (VectorMemory::nearest) against a plain scan of the same
// candidate slots: on random KJV contexts, one-hot and 64-d keys, approximate (default) and
// exhaustive search, the same slots in the same order with the same distances, and so the same
// attention and memory distribution (and the same p_mem from tuning's classProbabilities).

#include <QtTest>

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>

#include "memlens/classifier.h"
#include "memlens/feature_weights.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/vector_memory.h"
#include "memlens/word_vectors.h"
#include "vector/word_clusters.h"
#include "vector/word_distances.h"

using namespace memlens;

namespace {

constexpr size_t kMemoryInstances = 250000;  // a slice of the KJV: over 100k slots

// The read as it was before it was bounded: every candidate slot of the approximate search (or
// every slot) scored, then the k smallest (distance, slot) kept.
class ScanRead {
 public:
  ScanRead(const InstanceBase& memory, const std::vector<double>& weights,
           const WordVectors* vectors, const VectorMemoryOptions& options)
      : memory_(memory), weights_(weights), distances_(vectors, 0), options_(options) {
    std::vector<int> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return weights[size_t(a)] > weights[size_t(b)]; });
    order.resize(size_t(std::min(options.indexedPositions, memory.width())));
    indexed_ = order;
    postings_.resize(indexed_.size());
    for (size_t p = 0; p < indexed_.size(); ++p) {
      for (uint32_t slot = 0; slot < memory.vectorCount(); ++slot) {
        const uint32_t value = memory.vector(slot)[size_t(indexed_[p])];
        if (value >= postings_[p].size()) postings_[p].resize(value + 1);
        postings_[p][value].push_back(slot);
      }
    }
  }

  const InstanceBase& memory() const { return memory_; }

  std::vector<SlotRead> nearest(std::span<const uint32_t> query) const {
    std::vector<std::vector<float>> tables;
    for (uint32_t x : query) tables.push_back(distances_.column(x));
    std::vector<SlotRead> reads;
    for (uint32_t slot : candidates(query, tables)) {
      const auto values = memory_.vector(slot);
      double d = 0.0;
      for (size_t j = 0; j < query.size(); ++j) {
        const double dj = values[j] == query[j]          ? 0.0
                          : values[j] < tables[j].size() ? tables[j][values[j]]
                                                         : 2.0;
        d += weights_[j] * dj;
      }
      reads.push_back({slot, d, 0.0});
    }
    const size_t k = std::min(reads.size(), size_t(std::max(1, options_.topK)));
    std::partial_sort(reads.begin(), reads.begin() + std::ptrdiff_t(k), reads.end(),
                      [](const SlotRead& a, const SlotRead& b) {
                        return a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot;
                      });
    reads.resize(k);
    return reads;
  }

 private:
  std::vector<uint32_t> candidates(std::span<const uint32_t> query,
                                   const std::vector<std::vector<float>>& tables) const {
    std::vector<uint32_t> out;
    if (indexed_.empty()) {
      out.resize(memory_.vectorCount());
      std::iota(out.begin(), out.end(), 0u);
      return out;
    }
    std::vector<bool> seen(memory_.vectorCount());
    for (size_t p = 0; p < indexed_.size(); ++p) {
      const auto j = size_t(indexed_[p]);
      std::vector<uint32_t> words = {query[j]};
      const std::vector<float>& table = tables[j];
      if (!table.empty()) {
        words.resize(table.size());
        std::iota(words.begin(), words.end(), 0u);
        const size_t m = std::min(words.size(), size_t(options_.candidateWords) + 1);
        std::partial_sort(words.begin(), words.begin() + std::ptrdiff_t(m), words.end(),
                          [&](uint32_t a, uint32_t b) {
                            return table[a] != table[b] ? table[a] < table[b]
                                                        : a == query[j] && b != query[j];
                          });
        words.resize(m);
      }
      const size_t start = out.size();
      for (uint32_t w : words) {
        if (w >= postings_[p].size()) continue;
        if (w != query[j] && out.size() - start >= size_t(options_.candidateSlots)) break;
        for (uint32_t slot : postings_[p][w]) {
          if (!seen[slot]) {
            seen[slot] = true;
            out.push_back(slot);
          }
        }
      }
    }
    return out;
  }

  const InstanceBase& memory_;
  const std::vector<double>& weights_;
  WordDistances distances_;
  VectorMemoryOptions options_;
  std::vector<int> indexed_;
  std::vector<std::vector<std::vector<uint32_t>>> postings_;
};

struct Fixture {
  std::shared_ptr<const TokenisedCorpus> corpus;
  InstanceSet all;
  InstanceBase memory;
  std::vector<double> weights;
  std::unique_ptr<WordVectors> vectors;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture f;
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    if (!corpus) qFatal("%s (build the demo_corpus target)", corpus.status().toString().c_str());
    f.corpus = std::move(*corpus);
    auto all = buildInstances(f.corpus->tokens, f.corpus->paddingId, {});
    if (!all) qFatal("%s", all.status().toString().c_str());
    f.all = std::move(*all);
    f.memory = InstanceBase(f.all.width);
    if (!f.memory.add(f.all.slice(0, std::min(kMemoryInstances, f.all.size())))) qFatal("add");
    f.weights = computeFeatureWeights(f.memory.featureCounts(), f.memory.classTotals(),
                                      FeatureWeighting::kGainRatio);
    auto vectors = WordVectors::train(f.memory);
    if (!vectors) qFatal("%s", vectors.status().toString().c_str());
    f.vectors = std::move(*vectors);
    return f;
  }();
  return f;
}

// Random contexts of the whole corpus: about a quarter inside the memory's slice (stored
// contexts), the rest unseen.
std::vector<std::span<const uint32_t>> randomContexts(size_t n, uint32_t seed) {
  const InstanceSet& all = fixture().all;
  std::mt19937 rng(seed);
  std::vector<std::span<const uint32_t>> out;
  for (size_t i = 0; i < n; ++i) out.push_back(all.instance(rng() % all.size()));
  return out;
}

// attend()'s p_mem as plainly summed, from the slots it weighed: per class index (a map, so in
// index order) each slot's share added nearest first; the class of the largest, on ties the
// earlier index. attend() sums in a per-thread array it resets itself.
void comparePlainMemory(const InstanceBase& memory, const VectorRead& read) {
  std::map<uint32_t, double> mass;
  for (const SlotRead& s : read.slots) {
    double count = 0.0;
    for (const ClassCount& c : memory.distribution(s.slot)) count += c.count;
    for (const ClassCount& c : memory.distribution(s.slot)) {
      mass[c.classIndex] += s.attention * c.count / count;
    }
  }
  uint32_t classId = Prediction::kNoClass;
  double best = -1.0;
  size_t n = 0;
  for (const auto& [classIndex, m] : mass) {
    if (m <= 0.0) continue;
    QVERIFY(n < read.memory.size());
    QCOMPARE(read.memory[n].classId, memory.classId(classIndex));
    QCOMPARE(std::bit_cast<uint64_t>(read.memory[n].weight), std::bit_cast<uint64_t>(m));
    ++n;
    if (m > best) {
      best = m;
      classId = memory.classId(classIndex);
    }
  }
  QCOMPARE(read.memory.size(), n);
  QCOMPARE(read.classId, classId);
}

// The fast read of `context` against the scan: slots, distances, attention and p_mem.
void compareRead(const VectorMemory& fast, const ScanRead& scan, std::span<const uint32_t> context,
                 size_t& slotsCompared) {
  const std::vector<SlotRead> want = scan.nearest(context);
  const std::vector<SlotRead> got = fast.nearest(context);
  QCOMPARE(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    QCOMPARE(got[i].slot, want[i].slot);
    QCOMPARE(got[i].distance, want[i].distance);  // bit for bit
  }
  slotsCompared += want.size();
  const std::vector<double> temperatures = {0.01, 0.1, 1.0};
  // Tuning's p_mem of one class at several T, against the read's p_mem of that class.
  const uint32_t someClass = want.empty() ? 0 : fast.attend(want, 1.0).classId;
  const std::vector<double> tuned = fast.classProbabilities(got, someClass, temperatures);
  for (size_t ti = 0; ti < temperatures.size(); ++ti) {
    const double t = temperatures[ti];
    const VectorRead a = fast.attend(got, t), b = fast.attend(want, t);
    double read = 0.0;
    for (const ClassVote& v : b.memory) read += v.classId == someClass ? v.weight : 0.0;
    // Both add the class's shares in slot order: the same bits.
    QCOMPARE(std::bit_cast<uint64_t>(tuned[ti]), std::bit_cast<uint64_t>(read));
    comparePlainMemory(scan.memory(), a);
    if (QTest::currentTestFailed()) return;
    for (size_t i = 0; i < a.slots.size(); ++i) {
      QVERIFY(std::abs(a.slots[i].attention - b.slots[i].attention) <= 1e-12);
    }
    QCOMPARE(a.classId, b.classId);
    QCOMPARE(a.memory.size(), b.memory.size());
    for (size_t c = 0; c < a.memory.size(); ++c) {
      QCOMPARE(a.memory[c].classId, b.memory[c].classId);
      QVERIFY(std::abs(a.memory[c].weight - b.memory[c].weight) <= 1e-12);
    }
  }
}

void compareReads(const WordVectors* vectors, const VectorMemoryOptions& options,
                  const std::vector<std::span<const uint32_t>>& contexts) {
  const Fixture& f = fixture();
  QVERIFY(f.memory.vectorCount() >= 100000);
  const VectorMemory fast(f.memory, f.weights, vectors, options);
  const ScanRead scan(f.memory, f.weights, vectors, options);
  size_t slotsCompared = 0;
  for (const auto context : contexts) {
    compareRead(fast, scan, context, slotsCompared);
    if (QTest::currentTestFailed()) return;
  }
  QVERIFY(slotsCompared >= contexts.size() * 100);  // reads of (nearly) full top-k
}

void compareReads(const WordVectors* vectors, const VectorMemoryOptions& options, size_t queries) {
  compareReads(vectors, options, randomContexts(queries, 20 + uint32_t(options.indexedPositions)));
}

// Random contexts with about one word in three replaced by a random id: words the memory's slice
// never holds, ids past every word (unseen in training), and contexts no slot is near, whose
// top-k is decided far from the query and among many equal distances.
std::vector<std::vector<uint32_t>> perturbedContexts(size_t n, uint32_t seed) {
  const uint32_t ids = fixture().corpus->vocab.size() + 100;
  std::mt19937 rng(seed);
  std::vector<std::vector<uint32_t>> out;
  for (const auto context : randomContexts(n, seed)) {
    std::vector<uint32_t>& c = out.emplace_back(context.begin(), context.end());
    for (uint32_t& v : c) {
      if (rng() % 3 == 0) v = rng() % ids;
    }
  }
  return out;
}

}  // namespace

class TestVectorRead : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void oneHotApproximate() { compareReads(nullptr, {}, 2000); }
  void learntApproximate() { compareReads(fixture().vectors.get(), {}, 2000); }
  void oneHotExhaustive() {
    VectorMemoryOptions o;
    o.indexedPositions = 0;
    compareReads(nullptr, o, 300);
  }
  void learntExhaustive() {
    VectorMemoryOptions o;
    o.indexedPositions = 0;
    compareReads(fixture().vectors.get(), o, 300);
  }

  void perturbed() {
    const std::vector<std::vector<uint32_t>> contexts = perturbedContexts(2000, 11);
    const std::vector<std::span<const uint32_t>> spans(contexts.begin(), contexts.end());
    compareReads(fixture().vectors.get(), {}, spans);
    if (QTest::currentTestFailed()) return;
    compareReads(nullptr, {}, spans);
  }

  // Reads in context order (as evaluation makes them) keep a position's distances for the next
  // read with the same word there; two memories read in turns on one thread keep theirs apart.
  void contextOrder() {
    const Fixture& f = fixture();
    const VectorMemory learnt(f.memory, f.weights, f.vectors.get(), {});
    const VectorMemory oneHot(f.memory, f.weights, nullptr, {});
    const ScanRead learntScan(f.memory, f.weights, f.vectors.get(), {});
    const ScanRead oneHotScan(f.memory, f.weights, nullptr, {});
    std::vector<std::span<const uint32_t>> contexts = randomContexts(2000, 7);
    std::vector<size_t> byWeight(f.weights.size());
    std::iota(byWeight.begin(), byWeight.end(), size_t{0});
    std::stable_sort(byWeight.begin(), byWeight.end(),
                     [&](size_t a, size_t b) { return f.weights[a] > f.weights[b]; });
    std::sort(contexts.begin(), contexts.end(), [&](const auto& a, const auto& b) {
      for (const size_t j : byWeight) {
        if (a[j] != b[j]) return a[j] < b[j];
      }
      return false;
    });
    size_t slotsCompared = 0, kept = 0;
    for (size_t begin = 0; begin < contexts.size(); begin += 100) {
      const size_t end = std::min(contexts.size(), begin + 100);
      for (const auto& [fast, scan] : {std::pair{&learnt, &learntScan}, {&oneHot, &oneHotScan}}) {
        for (size_t i = begin; i < end; ++i) {
          compareRead(*fast, *scan, contexts[i], slotsCompared);
          if (QTest::currentTestFailed()) return;
          kept += i > begin && contexts[i][byWeight[0]] == contexts[i - 1][byWeight[0]];
        }
      }
    }
    QVERIFY(slotsCompared >= 2 * contexts.size() * 100);
    QVERIFY(kept >= contexts.size());  // most reads kept a table from the one before
  }

  // Words made ready together (prepare(), eight columns a pass) keep what each word's first use
  // computes alone, bit for bit: near words, far bound, cluster floors and kept column; for a
  // short last tile, repeated and unknown words, words prepared twice and a cancelled prepare.
  void preparedAgree() {
    const WordVectors& vectors = *fixture().vectors;
    const WordClusters clusters(&vectors);
    const uint32_t n = vectors.size();
    QVERIFY(n % 8 != 0);  // the tail rows, summed apart
    std::vector<bool> keep(n);
    for (uint32_t v = 0; v < n; v += 3) keep[v] = true;
    const WordDistances alone(&vectors, 17, keep, &clusters);
    const WordDistances together(&vectors, 17, keep, &clusters);
    std::mt19937 rng(9);
    std::vector<uint32_t> words = {n - 1, n, n + 5, 0};  // the last word with a vector, two past
    while (words.size() < 205) words.push_back(rng() % n);
    words.push_back(words[7]);
    QVERIFY(words.size() % 8 != 0);
    JobControl cancelled;
    cancelled.cancel();
    together.prepare(std::span(words).first(50), &cancelled);
    together.prepare(std::span(words).first(40), nullptr);
    together.prepare(words, nullptr);
    words.push_back(rng() % n);  // one left to its first use
    std::vector<float> want(WordClusters::kFineCount), got(WordClusters::kFineCount);
    for (const uint32_t x : words) {
      if (x >= n) continue;
      QVERIFY(together.nearWords(x) == alone.nearWords(x));
      QCOMPARE(std::bit_cast<uint32_t>(together.farBound(x)),
               std::bit_cast<uint32_t>(alone.farBound(x)));
      alone.floors(x, want);
      together.floors(x, got);
      QVERIFY(std::memcmp(got.data(), want.data(), sizeof(float) * got.size()) == 0);
      const std::span<const float> a = alone.keptColumn(x), b = together.keptColumn(x);
      QCOMPARE(b.size(), keep[x] ? size_t{n} : size_t{0});
      QCOMPARE(a.size(), b.size());
      QVERIFY(std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0);
    }
  }

  // Reads after prepare() equal the scan's (and so the reads without it).
  void preparedReads() {
    const Fixture& f = fixture();
    const VectorMemory fast(f.memory, f.weights, f.vectors.get(), {});
    const ScanRead scan(f.memory, f.weights, f.vectors.get(), {});
    const std::vector<std::span<const uint32_t>> contexts = randomContexts(500, 13);
    std::vector<uint32_t> values;
    for (const auto context : contexts) values.insert(values.end(), context.begin(), context.end());
    fast.prepare(values, nullptr);
    size_t slotsCompared = 0;
    for (const auto context : contexts) {
      compareRead(fast, scan, context, slotsCompared);
      if (QTest::currentTestFailed()) return;
    }
    QVERIFY(slotsCompared >= contexts.size() * 100);
  }

  // Issue 20: a word x with more than candidateWords other words at distance 0 (the same vector)
  // could fall out of its own near list, and the read then skipped the slots holding x at a
  // level's sub position. Now x leads its near words, and a slot holding x where the query does,
  // at the sub position (the first query) or in x's group (the second), is read as the scan reads
  // it.
  void wordOutsideItsNearList() {
    constexpr uint32_t x = 19, b = 20, nearB = 21, a = 22;  // 0..18 share x's vector
    constexpr int kDims = 4;
    std::vector<float> values((a + 1) * kDims, 0.0f);
    auto put = [&](uint32_t w, std::array<float, kDims> e) {
      std::copy(e.begin(), e.end(), values.begin() + std::ptrdiff_t(w * kDims));
    };
    for (uint32_t w = 0; w <= x; ++w) put(w, {1, 0, 0, 0});
    put(b, {0, 1, 0, 0});
    put(nearB, {0, 0.8f, 0.6f, 0});
    put(a, {0, 0, 1, 0});
    const std::unique_ptr<WordVectors> vectors = WordVectors::fromValues(std::move(values), kDims);
    const VectorMemoryOptions defaults;
    const WordDistances distances(vectors.get(), size_t(defaults.candidateWords) + 1);
    const std::vector<float> column = distances.column(x);
    QVERIFY(size_t(std::count(column.begin(), column.end(), 0.0f)) > distances.nearWords(x).size());
    QCOMPARE(distances.nearWords(x).front(), x);

    // Position 1 weighs most, then 2: level 0 reads position 1's groups by runs of position 2's
    // word, level 1 the reverse.
    const std::vector<double> weights = {1.0, 3.0, 2.0};
    const std::vector<std::array<uint32_t, 3>> slots = {
        {a, nearB, x}, {a, x, b}, {a, b, 0}, {a, nearB, 1}, {a, b, a}, {0, a, x}, {a, 2, b}};
    InstanceSet set;
    set.width = 3;
    for (const auto& slot : slots) {
      set.features.insert(set.features.end(), slot.begin(), slot.end());
      set.classes.push_back(100 + uint32_t(set.classes.size()) % 2);
      set.sources.push_back(set.sources.size());
    }
    InstanceBase memory(3);
    QVERIFY(memory.add(set).isOk());
    const std::vector<std::array<uint32_t, 3>> queries = {{a, b, x}, {a, x, b}};
    VectorMemoryOptions exhaustive;
    exhaustive.indexedPositions = 0;
    for (const VectorMemoryOptions& options : {defaults, exhaustive}) {
      const VectorMemory fast(memory, weights, vectors.get(), options);
      const ScanRead scan(memory, weights, vectors.get(), options);
      size_t slotsCompared = 0;
      for (size_t q = 0; q < queries.size(); ++q) {
        // The slot that holds x where the query does is among the plain scan's.
        const std::vector<SlotRead> want = scan.nearest(queries[q]);
        QVERIFY(std::any_of(want.begin(), want.end(), [&](const SlotRead& r) {
          const auto held = memory.vector(r.slot);
          return std::equal(held.begin(), held.end(), slots[q].begin());
        }));
        compareRead(fast, scan, queries[q], slotsCompared);
        if (QTest::currentTestFailed()) return;
      }
    }
  }

  // Windows other than four tokens (the read's generic per-entry bound; l16r0 is OLIFANT's other
  // shape, and 1 leaves a level without runs) against the scan, learnt and one-hot, approximate
  // and exhaustive.
  void otherWidths() {
    const Fixture& f = fixture();
    for (const int width : {1, 6, 16}) {
      auto all = buildInstances(f.corpus->tokens, f.corpus->paddingId, {width});
      QVERIFY(all.isOk());
      InstanceBase memory(width);
      QVERIFY(memory.add(all->slice(0, 60000)).isOk());
      const std::vector<double> weights = computeFeatureWeights(
          memory.featureCounts(), memory.classTotals(), FeatureWeighting::kGainRatio);
      auto vectors = WordVectors::train(memory);
      QVERIFY(vectors.isOk());
      VectorMemoryOptions exhaustive;
      exhaustive.indexedPositions = 0;
      std::mt19937 rng(static_cast<uint32_t>(width));
      for (const VectorMemoryOptions& options : {VectorMemoryOptions{}, exhaustive}) {
        for (const WordVectors* v : {static_cast<const WordVectors*>(vectors->get()),
                                     static_cast<const WordVectors*>(nullptr)}) {
          const VectorMemory fast(memory, weights, v, options);
          const ScanRead scan(memory, weights, v, options);
          size_t slotsCompared = 0;
          const size_t reads = options.indexedPositions > 0 ? 200 : 20;
          for (size_t i = 0; i < reads; ++i) {
            compareRead(fast, scan, all->instance(rng() % all->size()), slotsCompared);
            if (QTest::currentTestFailed()) return;
          }
          // Width 1: a slot per word, and the approximate read's candidates are at most 16
          // words (one, the query's own, where the vectors have no pairs to learn from).
          const bool few = width == 1 && options.indexedPositions > 0;
          QVERIFY2(slotsCompared >= (few ? reads / 2 : reads * 100),
                   qPrintable(QString("width %1: %2 slots").arg(width).arg(slotsCompared)));
        }
      }
    }
  }

  // Weights that bound nothing (one negative, one zero: every candidate summed), and a k above
  // the candidates' count, against the scan.
  void unboundedWeightsAndLargeK() {
    const Fixture& f = fixture();
    std::vector<double> unbounded = f.weights;
    unbounded[0] = -0.3;
    unbounded[1] = 0.0;
    VectorMemoryOptions largeK;
    largeK.topK = 40000;
    largeK.candidateSlots = 2048;
    for (const auto& [weights, options] :
         {std::pair{unbounded, VectorMemoryOptions{}}, std::pair{f.weights, largeK}}) {
      for (const WordVectors* v : {static_cast<const WordVectors*>(f.vectors.get()),
                                   static_cast<const WordVectors*>(nullptr)}) {
        const VectorMemory fast(f.memory, weights, v, options);
        const ScanRead scan(f.memory, weights, v, options);
        size_t slotsCompared = 0;
        for (const auto context : randomContexts(30, 5)) {
          compareRead(fast, scan, context, slotsCompared);
          if (QTest::currentTestFailed()) return;
        }
        QVERIFY(slotsCompared >= 30 * 100);
      }
    }
  }

  // attend() over a memory of many classes, against the plain sums: a few classes far apart
  // (their sums read back after sorting them), many (read back by their marks) and again a few,
  // in turns on one thread, each after the sums the one before left.
  void attendManyClasses() {
    constexpr uint32_t kClasses = 20000;
    InstanceSet set;
    set.width = 2;
    for (uint32_t i = 0; i < kClasses; ++i) {
      for (const uint32_t c : {i, (i * 13 + 7) % kClasses}) {
        if (c != i && i % 3 != 0) continue;  // every third slot holds two classes
        set.features.insert(set.features.end(), {i % 100, i / 100});
        set.classes.push_back(c);
        set.sources.push_back(set.sources.size());
      }
    }
    InstanceBase memory(2);
    QVERIFY(memory.add(set).isOk());
    QCOMPARE(memory.vectorCount(), kClasses);
    const VectorMemory vectorMemory(memory, {1.0, 1.0}, nullptr, {});
    std::mt19937 rng(3);
    std::vector<SlotRead> many;
    for (int i = 0; i < 300; ++i) many.push_back({uint32_t(rng() % kClasses), 0.1 * (i / 10), 0.0});
    const std::vector<std::vector<SlotRead>> reads = {
        {{kClasses - 1, 0.0, 0.0}, {1, 0.0, 0.0}, {kClasses / 2, 0.3, 0.0}},
        many,
        {{kClasses - 2, 0.0, 0.0}, {0, 0.2, 0.0}}};
    for (const std::vector<SlotRead>& slots : reads) {
      for (const double t : {0.05, 1.0}) {
        const VectorRead read = vectorMemory.attend(slots, t);
        QVERIFY(read.memory.size() >= slots.size() / 2);
        comparePlainMemory(memory, read);
        if (QTest::currentTestFailed()) return;
      }
    }
  }

  // A pair's distance, a batch of them and a whole column agree bit for bit (reads use all
  // three), and equal the Eigen product reads took them from before (so reads are unchanged).
  void distancesAgree() {
    // Over the corpus vocabulary, which is not a multiple of 8 rows: the product sums its last
    // rows differently.
    const TokenisedCorpus& corpus = *fixture().corpus;
    auto trained = WordVectors::train(corpus.tokens, corpus.vocab.size());
    QVERIFY(trained.isOk());
    const WordVectors& vectors = **trained;
    const WordDistances distances(&vectors, 17);
    const uint32_t n = distances.wordCount();
    QVERIFY(n % 8 != 0);
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajor> words(vectors.vector(0).data(), n, vectors.dimensions());
    std::vector<uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0u);
    std::vector<float> batch(n);
    std::mt19937 rng(5);
    for (int i = 0; i < 8; ++i) {
      RowMajor query = RowMajor::Zero(4, vectors.dimensions());
      uint32_t xs[4];
      for (int j = 0; j < 4; ++j) {
        xs[j] = rng() % n;
        query.row(j) = words.row(xs[j]);
      }
      const Eigen::MatrixXf dots = words * query.transpose();
      for (int j = 0; j < 4; ++j) {
        const uint32_t x = xs[j];
        const std::vector<float> column = distances.column(x);
        distances.distances(x, all, batch);
        for (uint32_t v = 0; v < n; ++v) {
          const float product = v == x ? 0.0f : std::max(0.0f, 2.0f - 2.0f * dots(v, j));
          // The same bits, not merely near (QCOMPARE of floats is fuzzy): reads rank by them.
          const auto bits = std::bit_cast<uint32_t>(product);
          QCOMPARE(std::bit_cast<uint32_t>(column[v]), bits);
          QCOMPARE(std::bit_cast<uint32_t>(distances.distance(x, v)), bits);
          QCOMPARE(std::bit_cast<uint32_t>(batch[v]), bits);
        }
        QCOMPARE(distances.nearWords(x).front(), x);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestVectorRead)
#include "tst_vector_read.moc"
