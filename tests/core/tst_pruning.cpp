#include <QtTest>

#include <map>
#include <set>

#include "edit_fixture.h"
#include "memlens/pruning.h"

using namespace memlens;

namespace {

std::unique_ptr<EditedMemory> memoryFor(const test::EditSetup& s, Algorithm a = Algorithm::kIb1) {
  ClassifierOptions o;
  o.algorithm = a;
  return std::move(*EditedMemory::create(s.corpus, s.train, s.probe, o));
}

using Vector = std::vector<uint32_t>;

// Sources of the instances of each distinct feature vector of `set`, worked out here.
std::map<Vector, std::vector<uint64_t>> sourcesByVector(const InstanceSet& set) {
  std::map<Vector, std::vector<uint64_t>> out;
  for (size_t i = 0; i < set.size(); ++i) {
    const auto f = set.instance(i);
    out[Vector(f.begin(), f.end())].push_back(set.sources[i]);
  }
  return out;
}

std::vector<uint64_t> sorted(std::vector<uint64_t> v) {
  std::ranges::sort(v);
  return v;
}

}  // namespace

class TestPruning : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // Exactly the instances of vectors seen fewer than minCount times, counted by brute force.
  void countThresholdRemovesExactlyTheRareVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s, Algorithm::kIgTree);
    for (uint32_t minCount : {2u, 3u}) {
      std::vector<uint64_t> expected;
      for (const auto& [v, sources] : sourcesByVector(s->train))
        if (sources.size() < minCount) expected.insert(expected.end(), sources.begin(), sources.end());
      auto edit = planPrune(*m, {PruneStrategy::kCountThreshold, minCount});
      QVERIFY2(edit.isOk(), edit.status().message().c_str());
      QCOMPARE(edit->kind, EditKind::kPrune);
      QCOMPARE(edit->sources, sorted(expected));
    }
    QVERIFY(!planPrune(*m, {PruneStrategy::kCountThreshold, 1}).isOk());  // removes nothing
  }

  // Never-neighbour removes exactly the vectors that appear in no census token's buckets
  // (checked from the predictions' neighbours); negative credit only vectors that were used.
  void usageCensusRemovesUnusedVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    PruneOptions o{PruneStrategy::kNeverNeighbour};
    o.census = &s->probe;
    PredictOptions po;
    po.neighbours = true;
    const InstanceBase& base = m->classifier().memory();
    std::vector<bool> used(base.vectorCount(), false);
    for (const Prediction& p : *m->classifier().predict(s->probe, po))
      for (const NeighbourBucket& b : p.neighbours)
        for (uint32_t v : b.storedVectors) used[v] = true;
    std::vector<uint64_t> expected;
    for (uint32_t id = 0; id < base.vectorCount(); ++id)
      if (!used[id])
        for (uint64_t src : base.sources(id)) expected.push_back(src);
    auto never = planPrune(*m, o);
    QVERIFY2(never.isOk(), never.status().message().c_str());
    QCOMPARE(never->sources, sorted(expected));

    o.strategy = PruneStrategy::kNegativeCredit;
    auto negative = planPrune(*m, o);
    QVERIFY2(negative.isOk(), negative.status().message().c_str());
    const std::set<uint64_t> unused(expected.begin(), expected.end());
    for (uint64_t src : negative->sources) QVERIFY(!unused.count(src));

    o.census = nullptr;
    QVERIFY(!planPrune(*m, o).isOk());
    o.census = &s->probe;
    QVERIFY(!planPrune(*memoryFor(*s, Algorithm::kIgTree), o).isOk());
  }

  // Whole vectors go, about the asked fraction; the same seed gives the same choice.
  void randomIsSeededAndRemovesWholeVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    const auto groups = sourcesByVector(s->train);
    PruneOptions o{PruneStrategy::kRandom};
    o.keepFraction = 0.7;
    o.seed = 5;
    auto a = planPrune(*m, o), b = planPrune(*m, o);
    o.seed = 6;
    auto c = planPrune(*m, o);
    QCOMPARE(a->sources, b->sources);
    QVERIFY(a->sources != c->sources);
    const std::set<uint64_t> removed(a->sources.begin(), a->sources.end());
    size_t vectorsRemoved = 0;
    for (const auto& [v, sources] : groups) {
      const auto n = std::ranges::count_if(sources, [&](uint64_t x) { return removed.count(x) > 0; });
      QVERIFY(n == 0 || n == static_cast<long>(sources.size()));
      vectorsRemoved += n > 0;
    }
    const double fraction = double(vectorsRemoved) / double(groups.size());
    QVERIFY2(fraction > 0.25 && fraction < 0.35, std::to_string(fraction).c_str());
    o.keepFraction = 1.0;
    QVERIFY(!planPrune(*m, o).isOk());
  }

  // Wilson editing against a brute-force k-bucket vote over all other vectors, weighted overlap.
  void wilsonMatchesBruteForce() {
    auto s = test::makeEditSetup(40);
    auto m = memoryFor(*s);
    const std::vector<double>& w = m->classifier().weights();
    const auto groups = sourcesByVector(s->train);
    std::map<Vector, std::map<uint32_t, uint32_t>> counts;  // vector → class → count
    for (size_t i = 0; i < s->train.size(); ++i) {
      const auto f = s->train.instance(i);
      ++counts[Vector(f.begin(), f.end())][s->train.classes[i]];
    }
    const int k = 2;
    std::vector<uint64_t> expected;
    for (const auto& [v, dist] : counts) {
      std::map<double, std::vector<const Vector*>> byDistance;
      for (const auto& [u, _] : counts) {
        if (&u == &v) continue;
        double d = 0;
        for (size_t j = 0; j < v.size(); ++j) d += v[j] == u[j] ? 0.0 : w[j];
        auto it = byDistance.lower_bound(d - 1e-12);
        if (it != byDistance.end() && it->first <= d + 1e-12) it->second.push_back(&u);
        else byDistance[d].push_back(&u);
      }
      std::map<uint32_t, uint64_t> votes;
      int buckets = 0;
      for (const auto& [d, members] : byDistance) {
        if (buckets++ == k) break;
        for (const Vector* u : members)
          for (auto [cls, n] : counts.at(*u)) votes[cls] += n;
      }
      // The vector's majority class: most counts, ties to the class seen first in training.
      uint32_t own = 0, best = 0;
      size_t firstSeen = SIZE_MAX;
      for (auto [cls, n] : dist) {
        const size_t seen = std::ranges::find(s->train.classes, cls) - s->train.classes.begin();
        if (n > best || (n == best && seen < firstSeen)) own = cls, best = n, firstSeen = seen;
      }
      uint64_t top = 0;
      for (auto [cls, n] : votes) top = std::max(top, n);
      if (top > votes[own]) expected.insert(expected.end(), groups.at(v).begin(), groups.at(v).end());
    }
    PruneOptions o{PruneStrategy::kWilson};
    o.neighbours = k;
    auto edit = planPrune(*m, o);
    QVERIFY2(edit.isOk(), edit.status().message().c_str());
    QCOMPARE(edit->sources, sorted(expected));
  }

  void documentStrategyIsSurgery() {
    auto s = test::makeEditSetup(20);
    auto m = memoryFor(*s);
    PruneOptions o{PruneStrategy::kDocument};
    o.document = 2;
    auto edit = planPrune(*m, o);
    QCOMPARE(edit->kind, EditKind::kRemoveDocument);
    QCOMPARE(edit->document, 2u);
  }

  void cancelledPruningChoosesNothing() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    JobControl job;
    job.cancel();
    PruneOptions o{PruneStrategy::kWilson};
    QVERIFY(planPrune(*m, o, &job).status().isCancelled());
    o.strategy = PruneStrategy::kNeverNeighbour;
    o.census = &s->probe;
    QVERIFY(planPrune(*m, o, &job).status().isCancelled());
  }
};

QTEST_APPLESS_MAIN(TestPruning)
#include "tst_pruning.moc"
