#include <QtTest>

#include <cmath>
#include <random>

#include "memlens/classifier.h"
#include "memlens/vector_memory.h"

using namespace memlens;

namespace {

InstanceSet randomInstances(std::mt19937& rng, size_t n) {
  InstanceSet set;
  set.width = 4;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t a = rng() % 6, b = rng() % 9, c = rng() % 12, d = rng() % 5;
    set.features.insert(set.features.end(), {a, b, c, d});
    set.classes.push_back(100 + (a + c + rng() % 3) % 7);  // class ids apart from value ids
    set.sources.push_back(i);
  }
  return set;
}

}  // namespace

class TestVectorMemory : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // docs/spec/vector-memory.md: one-hot words, exhaustive read, T -> 0 gives IB1's nearest
  // bucket: the same distribution (normalised), the same class, twice the distance.
  void oneHotZeroTemperatureIsIb1() {
    std::mt19937 rng(21);
    const InstanceSet train = randomInstances(rng, 3000);
    const InstanceSet queries = randomInstances(rng, 400);
    ClassifierOptions o;
    o.algorithm = Algorithm::kIb1;
    auto ib1 = createClassifier(o);
    QVERIFY(ib1.isOk());
    QVERIFY((*ib1)->train(train).isOk());

    VectorMemoryOptions vo;
    vo.temperature = 1e-9;
    vo.indexedPositions = 0;
    vo.topK = 1 << 30;
    const VectorMemory memory((*ib1)->memory(), (*ib1)->weights(), nullptr, vo);
    int compared = 0;
    for (size_t q = 0; q < queries.size(); ++q) {
      const Prediction expected = (*ib1)->predictOne(queries.instance(q));
      if (expected.tie) continue;  // IB1 then votes with k+1 buckets
      ++compared;
      const Prediction got = memory.predict(queries.instance(q));
      QCOMPARE(got.classId, expected.classId);
      QVERIFY(std::abs(got.distance - 2 * expected.distance) < 1e-9);
      double total = 0.0;
      for (const ClassVote& v : expected.distribution) total += v.weight;
      std::map<uint32_t, double> want, have;
      for (const ClassVote& v : expected.distribution)
        if (v.weight > 0) want[v.classId] = v.weight / total;
      for (const ClassVote& v : got.distribution) have[v.classId] = v.weight;
      QCOMPARE(have.size(), want.size());
      for (auto [cls, p] : want) QVERIFY(std::abs(have[cls] - p) < 1e-9);
    }
    QVERIFY(compared > 200);
  }

  void attentionIsANormalisedSoftmax() {
    std::mt19937 rng(4);
    const InstanceSet train = randomInstances(rng, 500);
    auto ib1 = createClassifier({});
    QVERIFY((*ib1)->train(train).isOk());
    VectorMemoryOptions vo;
    vo.temperature = 0.5;
    vo.topK = 16;
    vo.indexedPositions = 0;
    const VectorMemory memory((*ib1)->memory(), (*ib1)->weights(), nullptr, vo);
    const uint32_t query[] = {1, 2, 3, 4};
    const VectorRead r = memory.read(query);
    QCOMPARE(r.slots.size(), size_t{16});
    double sum = 0.0, mass = 0.0;
    for (const SlotRead& s : r.slots) sum += s.attention;
    for (const ClassVote& v : r.memory) mass += v.weight;
    QVERIFY(std::abs(sum - 1.0) < 1e-12);
    QVERIFY(std::abs(mass - 1.0) < 1e-12);
    // α_i / α_j = (c_i / c_j) · exp(−(d_i − d_j)/T), and the map's rows add up to d_i / T.
    const auto terms = memory.attentionTerms(query, r.slots, memory.temperature());
    auto countOf = [&](uint32_t slot) {
      double c = 0;
      for (const ClassCount& cc : (*ib1)->memory().distribution(slot)) c += cc.count;
      return c;
    };
    for (size_t i = 1; i < r.slots.size(); ++i) {
      QVERIFY(r.slots[i].distance >= r.slots[i - 1].distance);
      const double expected = countOf(r.slots[i].slot) / countOf(r.slots[0].slot) *
                              std::exp(-(r.slots[i].distance - r.slots[0].distance) / 0.5);
      QVERIFY(std::abs(r.slots[i].attention / r.slots[0].attention - expected) < 1e-9);
      double row = 0.0;
      for (double t : terms[i]) row += t;
      QVERIFY(std::abs(row - r.slots[i].distance / 0.5) < 1e-9);
    }
  }
};

QTEST_GUILESS_MAIN(TestVectorMemory)
#include "tst_vector_memory.moc"
