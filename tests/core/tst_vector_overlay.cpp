// VectorOverlay against a map of what it must hold: random changes to stored vectors (some the
// base holds, most not; few values, so that vectors repeat and hashes crowd), one at a time and in
// batches, and copies changed apart from their originals. Every entry is found by its features and
// only by them, its features read back from featuresOf() as from the entry, its counts are the
// base's plus the changes, and the vector count follows. A batch gives what its changes one at a
// time give: the same entries in the same order, the same counts in the same order.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <vector>

#include "edit/vector_overlay.h"

using namespace memlens;

namespace {

using Counts = std::map<uint32_t, int64_t>;  // class id -> count

void checkAgainst(const VectorOverlay& overlay,
                  const std::map<std::vector<uint32_t>, Counts>& model, const InstanceBase& base,
                  int width) {
  QCOMPARE(overlay.entries().size(), model.size());
  uint32_t vectors = base.vectorCount();
  for (const auto& [features, counts] : model) {
    const uint32_t e = overlay.find(features);
    QVERIFY(e != VectorOverlay::kNone);
    const VectorOverlay::Entry& entry = overlay.entries()[e];
    QVERIFY(std::equal(features.begin(), features.end(), overlay.featuresOf(e)));
    QCOMPARE(entry.baseId, base.find(features));
    Counts held;
    for (const auto& [c, n] : overlay.countsOf(e)) held[c] += n;
    Counts expected;
    for (const auto& [c, n] : counts)
      if (n != 0) expected[c] = n;
    QCOMPARE(held, expected);
    vectors -= entry.baseId != InstanceBase::kNone ? 1 : 0;
    vectors += expected.empty() ? 0 : 1;
  }
  QCOMPARE(overlay.vectorCount(), vectors);
  // Vectors never changed are not found, whatever their hash.
  std::vector<uint32_t> absent(static_cast<size_t>(width), 99);
  for (uint32_t v = 0; v < 200; ++v) {
    absent[0] = 100 + v;
    QCOMPARE(overlay.find(absent), VectorOverlay::kNone);
  }
  QCOMPARE(overlay.find(std::vector<uint32_t>(static_cast<size_t>(width) + 1, 0)),
           VectorOverlay::kNone);
}

// A base of 40 instances drawn by `draw`, of classes 0-2.
template <typename Draw, typename Random>
InstanceBase baseOf(int width, Draw& draw, Random& random) {
  InstanceSet trained;
  trained.width = width;
  for (uint64_t i = 0; i < 40; ++i) {
    const std::vector<uint32_t> v = draw();
    trained.features.insert(trained.features.end(), v.begin(), v.end());
    trained.classes.push_back(random(3));
    trained.sources.push_back(i);
  }
  InstanceBase base(width);
  if (!base.add(trained).isOk()) qFatal("the base takes no instances");
  return base;
}

// The entries change() gives `changes`.
std::vector<uint32_t> changed(VectorOverlay& overlay,
                              std::span<const VectorOverlay::Change> changes) {
  std::vector<uint32_t> entries;
  overlay.change(changes, [&](std::span<const uint32_t> e) { entries.assign(e.begin(), e.end()); });
  return entries;
}

}  // namespace

class TestVectorOverlay : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void holdsWhatChanged_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("changes");
    QTest::addColumn<bool>("batched");
    for (int width : {1, 3, 7})
      for (int changes : {5, 3000})
        for (bool batched : {false, true})
          QTest::newRow((std::to_string(width) + " wide, " + std::to_string(changes) +
                         (batched ? ", batched" : ""))
                            .c_str())
              << width << changes << batched;
  }

  void holdsWhatChanged() {
    QFETCH(int, width);
    QFETCH(int, changes);
    QFETCH(bool, batched);
    std::mt19937 engine(static_cast<uint32_t>(width * 131 + changes));
    const auto random = [&](uint32_t m) { return static_cast<uint32_t>(engine() % m); };
    const auto w = static_cast<size_t>(width);
    const auto draw = [&] {
      std::vector<uint32_t> v(w);
      for (uint32_t& x : v) x = random(width == 1 ? 60 : 6);
      return v;
    };
    const InstanceBase base = baseOf(width, draw, random);

    std::map<std::vector<uint32_t>, Counts> model;
    VectorOverlay overlay(base);
    // Instances join and leave: a vector's count never drops below zero. Batched: in batches of
    // random sizes, each its own vectors' copies.
    const auto changeBoth = [&](VectorOverlay& o, std::map<std::vector<uint32_t>, Counts>& m,
                                size_t size) {
      std::vector<std::vector<uint32_t>> vectors;
      std::vector<VectorOverlay::Change> batch;
      vectors.reserve(size);
      for (size_t i = 0; i < size; ++i) {
        const std::vector<uint32_t>& v = vectors.emplace_back(draw());
        const uint32_t classId = random(3);
        auto [it, added] = m.try_emplace(v);
        if (added)
          if (const uint32_t id = base.find(v); id != InstanceBase::kNone)
            for (const ClassCount& c : base.distribution(id))
              it->second[base.classId(c.classIndex)] += c.count;
        const int delta = it->second[classId] > 0 && random(2) ? -1 : 1;
        it->second[classId] += delta;
        batch.push_back({v.data(), classId, delta});
      }
      const std::vector<uint32_t> entries = changed(o, batch);
      QCOMPARE(entries.size(), size);
      for (size_t i = 0; i < size; ++i) QCOMPARE(entries[i], o.find(vectors[i]));
    };
    const auto sizeOf = [&] { return batched ? 1 + random(static_cast<uint32_t>(changes)) : 1u; };
    for (uint32_t i = 0, size = 0; i < static_cast<uint32_t>(changes); i += size)
      changeBoth(overlay, model, size = sizeOf());
    checkAgainst(overlay, model, base, width);
    // A copy changes apart from its original (the overlay is copied per edit).
    VectorOverlay copy = overlay;
    std::map<std::vector<uint32_t>, Counts> copyModel = model;
    for (uint32_t i = 0, size = 0; i < static_cast<uint32_t>(changes); i += size)
      changeBoth(copy, copyModel, size = sizeOf());
    checkAgainst(copy, copyModel, base, width);
    checkAgainst(overlay, model, base, width);
  }

  // One batch and the same changes one at a time, on an empty overlay and on one holding entries
  // already, against a reference applying them one at a time to per-entry lists: same entry per
  // change, same entries in the same order with the same base vectors, the same counts in the
  // same order (a vector enters with its base counts; a new class is appended, a class whose
  // count reaches zero removed).
  void batchIsOneAtATime_data() {
    QTest::addColumn<int>("width");
    for (int width : {1, 3, 7}) QTest::newRow((std::to_string(width) + " wide").c_str()) << width;
  }

  void batchIsOneAtATime() {
    QFETCH(int, width);
    std::mt19937 engine(static_cast<uint32_t>(width * 7919));
    const auto random = [&](uint32_t m) { return static_cast<uint32_t>(engine() % m); };
    const auto draw = [&] {
      std::vector<uint32_t> v(static_cast<size_t>(width));
      for (uint32_t& x : v) x = random(width == 1 ? 60 : 5);
      return v;
    };
    const InstanceBase base = baseOf(width, draw, random);
    VectorOverlay batched(base), single(base);
    std::map<std::vector<uint32_t>, uint32_t> entryOf;
    std::vector<std::vector<uint32_t>> features;
    std::vector<std::vector<VectorOverlay::Count>> counts;
    for (int round = 0; round < 3; ++round) {
      std::vector<std::vector<uint32_t>> vectors(20000);
      std::vector<VectorOverlay::Change> changes;
      std::vector<uint32_t> expected;
      for (std::vector<uint32_t>& v : vectors) {
        v = draw();
        // Joins and leaves; counts may pass zero (a class removed and appended again).
        const VectorOverlay::Change c{v.data(), random(4), random(3) == 0 ? -1 : 1};
        changes.push_back(c);
        auto [it, added] = entryOf.try_emplace(v, static_cast<uint32_t>(features.size()));
        if (added) {
          features.push_back(v);
          auto& held = counts.emplace_back();
          if (const uint32_t id = base.find(v); id != InstanceBase::kNone)
            for (const ClassCount& cc : base.distribution(id))
              held.emplace_back(base.classId(cc.classIndex), cc.count);
        }
        expected.push_back(it->second);
        auto& held = counts[it->second];
        auto at = std::find_if(held.begin(), held.end(),
                               [&](const auto& cc) { return cc.first == c.classId; });
        if (at == held.end()) {
          held.emplace_back(c.classId, c.delta);
        } else if ((at->second += c.delta) == 0) {
          held.erase(at);
        }
      }
      QCOMPARE(changed(batched, changes), expected);
      for (size_t i = 0; i < changes.size(); ++i)
        QCOMPARE(changed(single, {&changes[i], 1}), std::vector<uint32_t>{expected[i]});
      for (const VectorOverlay* o : {&batched, &single}) {
        QCOMPARE(o->entries().size(), features.size());
        for (uint32_t e = 0; e < features.size(); ++e) {
          QVERIFY(std::equal(features[e].begin(), features[e].end(), o->featuresOf(e)));
          QCOMPARE(o->entries()[e].baseId, base.find(features[e]));
          QVERIFY(std::ranges::equal(o->countsOf(e), counts[e]));
        }
      }
      QCOMPARE(batched.vectorCount(), single.vectorCount());
    }
  }
};

QTEST_APPLESS_MAIN(TestVectorOverlay)
#include "tst_vector_overlay.moc"
