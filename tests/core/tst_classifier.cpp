// Unit tests of the memory-based classifiers: feature weights and neighbour buckets checked by
// hand, instance merging, incremental growth, parallel determinism and cancellation.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/feature_weights.h"
#include "memlens/instance_base.h"
#include "memlens/vocabulary.h"

using namespace memlens;

namespace {

// Builds an InstanceSet from "f1 f2 .. class" rows.
InstanceSet makeSet(Vocabulary& vocab, const std::vector<std::vector<std::string>>& rows) {
  InstanceSet s;
  s.width = static_cast<int>(rows.front().size()) - 1;
  uint64_t line = 1;
  for (const auto& r : rows) {
    for (int f = 0; f < s.width; ++f) s.features.push_back(vocab.intern(r[f]));
    s.classes.push_back(vocab.intern(r.back()));
    s.sources.push_back(line++);
  }
  return s;
}

// Deterministic pseudo-random instances (width 4, small alphabets so that patterns repeat).
InstanceSet randomSet(Vocabulary& vocab, uint32_t seed, size_t n) {
  InstanceSet s;
  s.width = 4;
  uint64_t x = seed;
  auto next = [&](uint32_t m) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((x >> 33) % m);
  };
  for (size_t i = 0; i < n; ++i) {
    uint32_t h = 0;
    for (int f = 0; f < 4; ++f) {
      const uint32_t v = next(12 + 5 * f);
      h += v * (f + 3);
      s.features.push_back(vocab.intern("v" + std::to_string(v)));
    }
    s.classes.push_back(vocab.intern("c" + std::to_string(next(4) == 0 ? next(30) : h % 30)));
    s.sources.push_back(i + 1);
  }
  return s;
}

std::unique_ptr<Classifier> make(Algorithm a, int k = 1) {
  ClassifierOptions o;
  o.algorithm = a;
  o.k = k;
  auto c = createClassifier(o);
  return c ? std::move(c).value() : nullptr;
}

}  // namespace

class ClassifierTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Hand calculation: f1 predicts the class perfectly (IG = H(C) = 1 bit, split info 1, GR 1,
  // χ² = n·(min(|C|,|V|)−1) = 4, SV 1); f2 is constant (all 0); f3 is independent of the
  // class (IG 0, SI 1, GR 0, χ² 0).
  void featureWeightsByHand() {
    Vocabulary vocab;
    const InstanceSet s = makeSet(
        vocab,
        {{"a", "k", "p", "X"}, {"a", "k", "q", "X"}, {"b", "k", "p", "Y"}, {"b", "k", "q", "Y"}});
    InstanceBase base(3);
    QVERIFY(base.add(s).isOk());
    const auto d1 = computeFeatureWeightDetail(base.featureCounts()[0], base.classTotals());
    QCOMPARE(d1.infoGain, 1.0);
    QCOMPARE(d1.splitInfo, 1.0);
    QCOMPARE(d1.gainRatio, 1.0);
    QCOMPARE(d1.chiSquare, 4.0);
    QCOMPARE(d1.sharedVariance, 1.0);
    const auto d2 = computeFeatureWeightDetail(base.featureCounts()[1], base.classTotals());
    QCOMPARE(d2.infoGain, 0.0);
    QCOMPARE(d2.gainRatio, 0.0);
    QCOMPARE(d2.chiSquare + 1.0, 1.0);
    QCOMPARE(d2.sharedVariance, 0.0);
    const auto d3 = computeFeatureWeightDetail(base.featureCounts()[2], base.classTotals());
    QVERIFY(std::fabs(d3.infoGain) < 1e-12);
    QCOMPARE(d3.splitInfo, 1.0);
    QVERIFY(std::fabs(d3.gainRatio) < 1e-12);
    QVERIFY(std::fabs(d3.chiSquare) < 1e-12);
    const auto none =
        computeFeatureWeights(base.featureCounts(), base.classTotals(), FeatureWeighting::kNone);
    QCOMPARE(none, std::vector<double>({1.0, 1.0, 1.0}));
  }

  // Identical vectors merge into one stored vector with counts and all their sources;
  // classes are indexed by first use as a class, not by vocabulary id.
  void instanceBaseMerges() {
    Vocabulary vocab;
    vocab.intern("Y");  // Y's vocabulary id precedes X's
    const InstanceSet s =
        makeSet(vocab, {{"a", "b", "X"}, {"a", "c", "Y"}, {"a", "b", "Y"}, {"a", "b", "X"}});
    InstanceBase base(2);
    QVERIFY(base.add(s).isOk());
    QCOMPARE(base.vectorCount(), 2u);
    QCOMPARE(base.instanceCount(), uint64_t{4});
    QCOMPARE(base.classId(0), vocab.lookup("X"));
    QCOMPARE(base.classId(1), vocab.lookup("Y"));
    const uint32_t ab = base.find(s.instance(0));
    QVERIFY(ab != InstanceBase::kNone);
    const auto dist = base.distribution(ab);
    QCOMPARE(dist.size(), size_t{2});
    QCOMPARE(dist[0].classIndex, 0u);
    QCOMPARE(dist[0].count, 2u);
    QCOMPARE(dist[1].count, 1u);
    QCOMPARE(base.sources(ab), std::vector<uint64_t>({1, 3, 4}));
  }

  // fromRuns() builds the memory add() builds from the instances the runs expand to: vectors,
  // distributions in order, sources, classes and per-feature counts (their tables' cells; the
  // slot order is the tables' own, and every sum over them runs in a sorted order).
  void instanceBaseFromRunsAsAdd() {
    Vocabulary vocab;
    const InstanceSet pool = randomSet(vocab, 7, 400);
    std::vector<InstanceBase::Run> runs;
    std::vector<uint32_t> values, classIds, vectorOf(pool.size(), InstanceBase::kNone);
    InstanceSet expanded;
    expanded.width = pool.width;
    uint64_t x = 11;
    for (int i = 0; i < 3000; ++i) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      const size_t row = (x >> 33) % pool.size();
      const uint32_t cls = vocab.intern("c" + std::to_string((x >> 20) % 5));
      const auto count = static_cast<uint32_t>(1 + (x >> 40) % 3);
      // One stored vector per distinct row, numbered by first run.
      size_t same = row;
      for (size_t r = 0; r < row; ++r)
        if (std::equal(pool.instance(r).begin(), pool.instance(r).end(),
                       pool.instance(row).begin())) {
          same = r;
          break;
        }
      if (vectorOf[same] == InstanceBase::kNone) {
        vectorOf[same] = static_cast<uint32_t>(values.size() / pool.width);
        values.insert(values.end(), pool.instance(same).begin(), pool.instance(same).end());
      }
      const auto at = std::find(classIds.begin(), classIds.end(), cls);
      const auto classIndex = static_cast<uint32_t>(at - classIds.begin());
      if (at == classIds.end()) classIds.push_back(cls);
      runs.push_back({vectorOf[same], classIndex, count});
      for (uint32_t k = 0; k < count; ++k) {
        const auto v = pool.instance(same);
        expanded.features.insert(expanded.features.end(), v.begin(), v.end());
        expanded.classes.push_back(cls);
        expanded.sources.push_back(expanded.sources.size());
      }
    }
    InstanceBase added(pool.width);
    QVERIFY(added.add(expanded).isOk());
    auto built = InstanceBase::fromRuns(pool.width, values, classIds, runs);
    QVERIFY2(built.isOk(), built.status().message().c_str());
    const InstanceBase& b = *built;
    QCOMPARE(b.vectorCount(), added.vectorCount());
    QCOMPARE(b.instanceCount(), added.instanceCount());
    for (uint32_t id = 0; id < b.vectorCount(); ++id) {
      QVERIFY(std::ranges::equal(b.vector(id), added.vector(id)));
      QCOMPARE(b.find(b.vector(id)), id);
      const auto d = b.distribution(id), e = added.distribution(id);
      QCOMPARE(d.size(), e.size());
      for (size_t c = 0; c < d.size(); ++c) {
        QCOMPARE(d[c].classIndex, e[c].classIndex);
        QCOMPARE(d[c].count, e[c].count);
      }
      QCOMPARE(b.sources(id), added.sources(id));
    }
    QCOMPARE(b.classCount(), added.classCount());
    for (uint32_t c = 0; c < b.classCount(); ++c) QCOMPARE(b.classId(c), added.classId(c));
    QCOMPARE(b.classTotals(), added.classTotals());
    // Its weight statistics, known before its count tables are built, are bitwise those of the
    // tables add() builds.
    QVERIFY(b.weightDetails() != nullptr);
    QVERIFY(added.weightDetails() == nullptr);
    for (int f = 0; f < pool.width; ++f) {
      const FeatureWeightDetail d = (*b.weightDetails())[static_cast<size_t>(f)],
                                e = computeFeatureWeightDetail(added.featureCounts()[f],
                                                               added.classTotals());
      for (auto [x, y] : {std::pair{d.infoGain, e.infoGain}, std::pair{d.splitInfo, e.splitInfo},
                          std::pair{d.gainRatio, e.gainRatio}, std::pair{d.chiSquare, e.chiSquare},
                          std::pair{d.sharedVariance, e.sharedVariance}})
        QVERIFY(std::memcmp(&x, &y, sizeof(double)) == 0);
    }
    for (int f = 0; f < pool.width; ++f) {
      const FeatureCounts &g = b.featureCounts()[f], &h = added.featureCounts()[f];
      QCOMPARE(g.valueIndex, h.valueIndex);
      QCOMPARE(g.valueTotals, h.valueTotals);
      std::vector<std::pair<uint64_t, uint32_t>> gc, hc;
      g.valueClass.forEach([&](uint64_t k, uint32_t n) { gc.emplace_back(k, n); });
      h.valueClass.forEach([&](uint64_t k, uint32_t n) { hc.emplace_back(k, n); });
      std::sort(gc.begin(), gc.end());
      std::sort(hc.begin(), hc.end());
      QCOMPARE(gc, hc);
    }
    // Without the per-feature counts: the same vectors, distributions and sources, no counts.
    auto lean = InstanceBase::fromRuns(pool.width, values, classIds, runs, nullptr,
                                       InstanceBase::FeatureCounting::kSkip);
    QVERIFY2(lean.isOk(), lean.status().message().c_str());
    QCOMPARE(lean->vectorCount(), added.vectorCount());
    QCOMPARE(lean->classTotals(), added.classTotals());
    for (uint32_t id = 0; id < lean->vectorCount(); ++id) {
      QVERIFY(std::ranges::equal(lean->vector(id), added.vector(id)));
      QCOMPARE(lean->find(lean->vector(id)), id);
      QVERIFY(std::ranges::equal(lean->distribution(id), added.distribution(id),
                                 [](const ClassCount& a, const ClassCount& b) {
                                   return a.classIndex == b.classIndex && a.count == b.count;
                                 }));
      QCOMPARE(lean->sources(id), added.sources(id));
    }
    QVERIFY(lean->weightDetails() == nullptr);
    for (const FeatureCounts& counts : lean->featureCounts()) QVERIFY(counts.valueTotals.empty());

    // Refused: a vector twice, vectors not numbered by first run, an empty run.
    std::vector<uint32_t> twice = values;
    std::copy(values.begin(), values.begin() + pool.width, twice.begin() + pool.width);
    QVERIFY(!InstanceBase::fromRuns(pool.width, twice, classIds, runs).isOk());
    std::vector<InstanceBase::Run> late = runs;
    std::iter_swap(late.begin(), std::find_if(late.begin(), late.end(),
                                              [](const auto& r) { return r.vector == 1; }));
    QVERIFY(!InstanceBase::fromRuns(pool.width, values, classIds, late).isOk());
    std::vector<InstanceBase::Run> empty = runs;
    empty.back().count = 0;
    QVERIFY(!InstanceBase::fromRuns(pool.width, values, classIds, empty).isOk());
  }

  // Weights none: distance = number of mismatches. Query "a b z": bucket 1 at distance 1 holds
  // "a b c" and "a b d"; bucket 2 at distance 2 holds "a q c"; "x y w" is at 3.
  void neighbourBucketsByHand() {
    Vocabulary vocab;
    const InstanceSet s = makeSet(vocab, {{"a", "b", "c", "X"},
                                          {"a", "b", "d", "Y"},
                                          {"a", "b", "d", "Y"},
                                          {"a", "q", "c", "Z"},
                                          {"x", "y", "w", "Z"}});
    ClassifierOptions o;
    o.k = 2;
    o.weighting = FeatureWeighting::kNone;
    auto c = createClassifier(o);
    QVERIFY(c.isOk());
    QVERIFY((*c)->train(s).isOk());
    const std::vector<uint32_t> q = {vocab.lookup("a"), vocab.lookup("b"), vocab.intern("z")};
    PredictOptions po;
    po.neighbours = true;
    const Prediction p = (*c)->predictOne(q, po);
    QCOMPARE(p.classId, vocab.lookup("Y"));  // X 1 + Z 1 vs Y 2
    QCOMPARE(p.distance, 1.0);
    QCOMPARE(p.neighbours.size(), size_t{2});
    QCOMPARE(p.neighbours[0].distance, 1.0);
    QCOMPARE(p.neighbours[0].storedVectors.size(), size_t{2});
    QCOMPARE(p.neighbours[1].distance, 2.0);
    QCOMPARE(p.neighbours[1].storedVectors.size(), size_t{1});
    QCOMPARE(p.distribution.size(), size_t{3});
    QCOMPARE(p.distribution[0].weight, 1.0);  // X
    QCOMPARE(p.distribution[1].weight, 2.0);  // Y
    QCOMPARE(p.distribution[2].weight, 1.0);  // Z
  }

  // Growing a memory in steps answers exactly as training on everything at once.
  void incrementalAddMatchesRetrain() {
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kTribl2, Algorithm::kIgTree}) {
      Vocabulary vocab;
      const InstanceSet all = randomSet(vocab, 7, 6000);
      const InstanceSet queries = randomSet(vocab, 99, 500);
      InstanceSet first, second;
      first.width = second.width = 4;
      for (size_t i = 0; i < all.size(); ++i) {
        InstanceSet& t = i < 2500 ? first : second;
        const auto f = all.instance(i);
        t.features.insert(t.features.end(), f.begin(), f.end());
        t.classes.push_back(all.classes[i]);
        t.sources.push_back(all.sources[i]);
      }
      auto once = make(a, 3);
      auto grown = make(a, 3);
      QVERIFY(once->train(all).isOk());
      QVERIFY(grown->train(first).isOk());
      QVERIFY(grown->predict(queries).isOk());  // build lazy indexes before growing
      QVERIFY(grown->add(second).isOk());
      QCOMPARE(grown->memory().instanceCount(), uint64_t{6000});
      QCOMPARE(grown->weights(), once->weights());
      const auto p1 = once->predict(queries);
      const auto p2 = grown->predict(queries);
      QVERIFY(p1.isOk() && p2.isOk());
      for (size_t i = 0; i < queries.size(); ++i) {
        QCOMPARE((*p2)[i].classId, (*p1)[i].classId);
        QCOMPARE((*p2)[i].distance, (*p1)[i].distance);
        QCOMPARE((*p2)[i].distribution.size(), (*p1)[i].distribution.size());
        for (size_t j = 0; j < (*p1)[i].distribution.size(); ++j)
          QCOMPARE((*p2)[i].distribution[j].weight, (*p1)[i].distribution[j].weight);
      }
    }
  }

  // One thread or several: the same answers.
  void parallelIsDeterministic() {
    Vocabulary vocab;
    const InstanceSet train = randomSet(vocab, 3, 20000);
    const InstanceSet queries = randomSet(vocab, 4, 3000);
    auto c = make(Algorithm::kIb1, 3);
    QVERIFY(c->train(train).isOk());
    PredictOptions one, many;
    one.threads = 1;
    many.threads = 2;
    const auto a = c->predict(queries, one);
    const auto b = c->predict(queries, many);
    QVERIFY(a.isOk() && b.isOk());
    for (size_t i = 0; i < queries.size(); ++i) {
      QCOMPARE((*a)[i].classId, (*b)[i].classId);
      QCOMPARE((*a)[i].distance, (*b)[i].distance);
    }
  }

  // Cancelling batch prediction returns Status::cancelled and no partial result.
  void cancelPrediction() {
    Vocabulary vocab;
    const InstanceSet train = randomSet(vocab, 5, 20000);
    const InstanceSet queries = randomSet(vocab, 6, 50000);
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kTribl2, Algorithm::kIgTree}) {
      auto c = make(a);
      QVERIFY(c->train(train).isOk());
      std::atomic<int> reports{0};
      JobControl* self = nullptr;
      JobControl job(
          [&](double, const std::string&) {
            if (++reports == 1) self->cancel();
          },
          std::chrono::milliseconds(0));
      self = &job;
      const auto r = c->predict(queries, {}, &job);
      QVERIFY(!r.isOk());
      QVERIFY(r.status().isCancelled());
    }
  }

  // Cancelling training or growth leaves the previous memory exactly as it was.
  void cancelTrainingKeepsMemory() {
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kTribl2, Algorithm::kIgTree}) {
      Vocabulary vocab;
      const InstanceSet small = randomSet(vocab, 8, 3000);
      const InstanceSet big = randomSet(vocab, 9, 60000);
      const InstanceSet queries = randomSet(vocab, 10, 300);
      auto c = make(a);
      QVERIFY(c->train(small).isOk());
      const auto before = c->predict(queries);
      QVERIFY(before.isOk());
      const uint32_t vectors = c->memory().vectorCount();
      const auto weights = c->weights();

      JobControl cancelled;
      cancelled.cancel();
      QVERIFY(c->train(big, &cancelled).isCancelled());
      QVERIFY(c->add(big, &cancelled).isCancelled());
      // Cancel midway through the growth (after the first progress report).
      JobControl* self = nullptr;
      JobControl midway(
          [&](double f, const std::string&) {
            if (f > 0.0) self->cancel();
          },
          std::chrono::milliseconds(0));
      self = &midway;
      QVERIFY(c->add(big, &midway).isCancelled());

      QCOMPARE(c->memory().vectorCount(), vectors);
      QCOMPARE(c->memory().instanceCount(), uint64_t{3000});
      QCOMPARE(c->weights(), weights);
      const auto after = c->predict(queries);
      QVERIFY(after.isOk());
      for (size_t i = 0; i < queries.size(); ++i) {
        QCOMPARE((*after)[i].classId, (*before)[i].classId);
        QCOMPARE((*after)[i].distance, (*before)[i].distance);
      }
      // And the memory still grows correctly afterwards.
      QVERIFY(c->add(big).isOk());
      QCOMPARE(c->memory().instanceCount(), uint64_t{63000});
    }
  }

  void rejectsBadInput() {
    ClassifierOptions o;
    o.k = 0;
    QVERIFY(!createClassifier(o).isOk());
    Vocabulary vocab;
    auto c = make(Algorithm::kIb1);
    InstanceSet wrong = randomSet(vocab, 1, 10);
    QVERIFY(!c->predict(wrong).isOk());  // untrained
    QVERIFY(c->train(wrong).isOk());
    wrong.width = 3;
    wrong.features.resize(30);
    QVERIFY(!c->predict(wrong).isOk());
  }
};

QTEST_GUILESS_MAIN(ClassifierTest)
#include "tst_classifier.moc"
