// VectorOverlay against a map of what it must hold: random changes to stored vectors (some the
// base holds, most not; few values, so that vectors repeat and hashes crowd), with and without
// room reserved, and copies changed apart from their originals. Every entry is found by its
// features and only by them, its features read back from featuresOf() as from the entry, its
// counts are the base's plus the changes, and the vector count follows.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
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
    for (const auto& [c, n] : entry.counts) held[c] += n;
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

}  // namespace

class TestVectorOverlay : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void holdsWhatChanged_data() {
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("changes");
    QTest::addColumn<bool>("reserved");
    for (int width : {1, 3, 7})
      for (int changes : {5, 3000})
        for (bool reserved : {false, true})
          QTest::newRow((std::to_string(width) + " wide, " + std::to_string(changes) +
                         (reserved ? ", reserved" : ""))
                            .c_str())
              << width << changes << reserved;
  }

  void holdsWhatChanged() {
    QFETCH(int, width);
    QFETCH(int, changes);
    QFETCH(bool, reserved);
    std::mt19937 engine(static_cast<uint32_t>(width * 131 + changes));
    const auto random = [&](uint32_t m) { return static_cast<uint32_t>(engine() % m); };
    const auto w = static_cast<size_t>(width);
    const auto draw = [&] {
      std::vector<uint32_t> v(w);
      for (uint32_t& x : v) x = random(width == 1 ? 60 : 6);
      return v;
    };
    InstanceSet trained;
    trained.width = width;
    for (uint64_t i = 0; i < 40; ++i) {
      const std::vector<uint32_t> v = draw();
      trained.features.insert(trained.features.end(), v.begin(), v.end());
      trained.classes.push_back(random(3));
      trained.sources.push_back(i);
    }
    InstanceBase base(width);
    QVERIFY(base.add(trained).isOk());

    std::map<std::vector<uint32_t>, Counts> model;
    VectorOverlay overlay(base);
    if (reserved) overlay.reserve(static_cast<size_t>(changes));
    // Instances join and leave: a vector's count never drops below zero.
    const auto changeBoth = [&](VectorOverlay& o, std::map<std::vector<uint32_t>, Counts>& m) {
      const std::vector<uint32_t> v = draw();
      const uint32_t classId = random(3);
      auto [it, added] = m.try_emplace(v);
      if (added)
        if (const uint32_t id = base.find(v); id != InstanceBase::kNone)
          for (const ClassCount& c : base.distribution(id))
            it->second[base.classId(c.classIndex)] += c.count;
      const int delta = it->second[classId] > 0 && random(2) ? -1 : 1;
      it->second[classId] += delta;
      const uint32_t e = o.change(v, classId, delta);
      QCOMPARE(e, o.find(v));
    };
    for (int i = 0; i < changes; ++i) changeBoth(overlay, model);
    checkAgainst(overlay, model, base, width);
    // A copy changes apart from its original (the overlay is copied per edit).
    VectorOverlay copy = overlay;
    std::map<std::vector<uint32_t>, Counts> copyModel = model;
    for (int i = 0; i < changes; ++i) changeBoth(copy, copyModel);
    checkAgainst(copy, copyModel, base, width);
    checkAgainst(overlay, model, base, width);
  }
};

QTEST_APPLESS_MAIN(TestVectorOverlay)
#include "tst_vector_overlay.moc"
