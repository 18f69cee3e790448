#include <QtTest>

#include <array>
#include <random>
#include <set>

#include "edit/maintained_counts.h"
#include "memlens/feature_weights.h"
#include "memlens/job_control.h"

using namespace memlens;

namespace {

// Random instances over small alphabets, so that values and classes repeat and edits move the
// rows they first appear in.
std::shared_ptr<const InstanceSet> randomInstances(std::mt19937& rng, size_t n, int width) {
  auto set = std::make_shared<InstanceSet>();
  set->width = width;
  for (size_t i = 0; i < n; ++i) {
    for (int f = 0; f < width; ++f)
      set->features.push_back(rng() % (3 + 4 * f) * 97);  // over several chunks
    set->classes.push_back(100 + rng() % 6);
    set->sources.push_back(i);
  }
  return set;
}

// `n` random instances of width 2 over `values0` × `values1` values, of classes `classOf()`.
template <typename ClassOf>
std::shared_ptr<const InstanceSet> randomPairs(std::mt19937& rng, size_t n, uint32_t values0,
                                               uint32_t values1, ClassOf classOf) {
  auto set = std::make_shared<InstanceSet>();
  set->width = 2;
  for (size_t i = 0; i < n; ++i) {
    set->features.push_back(rng() % values0);
    set->features.push_back(rng() % values1);
    set->classes.push_back(classOf());
    set->sources.push_back(i);
  }
  return set;
}

// The class order a memory trained on `base`'s instances has.
ClassOrder classOrderOf(const InstanceBase& base) {
  ClassOrder o;
  o.totals = base.classTotals();
  for (uint32_t c = 0; c < o.totals.size(); ++c) {
    o.ids.push_back(base.classId(c));
    if (o.indexOfId.size() <= base.classId(c)) o.indexOfId.resize(base.classId(c) + 1, 0xFFFFFFFFu);
    o.indexOfId[base.classId(c)] = c;
  }
  return o;
}

// The counts of a memory trained on `base`, whose rows `rows` holds.
std::shared_ptr<const MaintainedCounts> trainedCounts(const InstanceSet& base,
                                                      const EditedRows& rows) {
  InstanceBase trained(base.width);
  if (!trained.add(base).isOk()) return nullptr;
  auto counts = MaintainedCounts::of(trained, rows, nullptr);
  return counts ? *counts : nullptr;
}

}  // namespace

class TestMaintainedCounts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // After random removals, restores, relabels and insertions, the weights from the maintained
  // counts are bitwise those of a memory trained on the live rows, under every weighting.
  void weightsAreRetrainedWeights() {
    std::mt19937 rng(7);
    const int width = 3;
    auto base = randomInstances(rng, 400, width);
    EditedRows rows(base);
    std::shared_ptr<const MaintainedCounts> current = trainedCounts(*base, rows);
    QVERIFY(current);
    for (int step = 0; step < 60; ++step) {
      std::vector<std::vector<uint32_t>> kept;  // the moves' features
      kept.reserve(64);
      struct Pending {
        size_t row;
        uint32_t classId;
        int delta;
      };
      std::vector<Pending> moves;
      const auto note = [&](size_t row, int delta) {
        const auto f = rows.features(row);
        kept.emplace_back(f.begin(), f.end());
        moves.push_back({row, rows.classOf(row), delta});
      };
      for (int k = 0; k < 1 + static_cast<int>(rng() % 8); ++k) {
        // The lowest rows most often: they are the values' first appearances.
        const size_t row = rng() % 2 ? rng() % 20 : rng() % rows.size();
        switch (rng() % 4) {
          case 0:
            if (rows.live(row)) {
              note(row, -1);
              rows.setLive(row, false);
            }
            break;
          case 1:
            if (!rows.live(row)) {
              rows.setLive(row, true);
              note(row, +1);
            }
            break;
          case 2:
            if (rows.live(row)) {
              note(row, -1);
              rows.setClass(row, 100 + rng() % 7);
              note(row, +1);
            }
            break;
          default: {
            std::vector<uint32_t> f(width);
            for (int i = 0; i < width; ++i) f[i] = rng() % (4 + 4 * i) * 97;
            rows.append(f, 100 + rng() % 6, rows.size(), true);
            note(rows.size() - 1, +1);
          }
        }
      }
      std::vector<MaintainedCounts::Move> list;
      for (size_t i = 0; i < moves.size(); ++i)
        list.push_back({kept[i], moves[i].classId, moves[i].row, moves[i].delta});
      InstanceBase retrained(width);
      QVERIFY(retrained.add(rows.liveInstances()).isOk());
      const ClassOrder order = classOrderOf(retrained);
      current = current->edited(list, rows, order);
      for (FeatureWeighting w :
           {FeatureWeighting::kGainRatio, FeatureWeighting::kInfoGain, FeatureWeighting::kChiSquare,
            FeatureWeighting::kSharedVariance, FeatureWeighting::kNone})
        QVERIFY2(current->weights(order, w) ==
                     computeFeatureWeights(retrained.featureCounts(), retrained.classTotals(), w),
                 ("step " + std::to_string(step)).c_str());
    }
  }

  // A stored vector's instances, of several classes in turn, removed in one edit and restored in
  // the next (one run of moves with one features span, as EditedMemory makes them): the weights
  // are those of a memory trained on the live rows.
  void aVectorsInstancesOfManyClasses() {
    std::mt19937 rng(11);
    const int width = 2;
    auto base = randomInstances(rng, 600, width);  // 3 × 7 vectors: ~29 instances each
    EditedRows rows(base);
    std::shared_ptr<const MaintainedCounts> current = trainedCounts(*base, rows);
    QVERIFY(current);
    const auto f0 = rows.features(0);
    const std::vector<uint32_t> vector(f0.begin(), f0.end());
    std::set<uint32_t> classes;
    for (int delta : {-1, +1}) {
      std::vector<MaintainedCounts::Move> moves;
      for (size_t r = 0; r < rows.size(); ++r) {
        if (!std::ranges::equal(rows.features(r), vector)) continue;
        classes.insert(rows.classOf(r));
        rows.setLive(r, delta > 0);
        moves.push_back({vector, rows.classOf(r), r, delta});
      }
      InstanceBase retrained(width);
      QVERIFY(retrained.add(rows.liveInstances()).isOk());
      current = current->edited(moves, rows, classOrderOf(retrained));
      for (FeatureWeighting w : {FeatureWeighting::kGainRatio, FeatureWeighting::kChiSquare})
        QCOMPARE(current->weights(classOrderOf(retrained), w),
                 computeFeatureWeights(retrained.featureCounts(), retrained.classTotals(), w));
    }
    QVERIFY(classes.size() > 3);
  }

  // Values of hundreds of classes (past 256, so class indices take two bytes), their rows sorted
  // by class index in pieces: after random removals and relabels the weights are still bitwise a
  // retrained memory's, under class orders that differ from the class ids' order.
  void valuesOfManyClasses() {
    std::mt19937 rng(5);
    const int width = 2;
    auto base = randomPairs(
        rng, 3000, 3, 40, [&] { return 1000 - static_cast<uint32_t>(rng() % (1 + rng() % 700)); });
    EditedRows rows(base);
    std::shared_ptr<const MaintainedCounts> current = trainedCounts(*base, rows);
    QVERIFY(current);
    for (int step = 0; step < 8; ++step) {
      std::vector<std::vector<uint32_t>> kept;
      kept.reserve(400);
      std::vector<MaintainedCounts::Move> moves;
      for (int k = 0; k < 150; ++k) {
        const size_t row = rng() % rows.size();
        if (!rows.live(row)) continue;
        const auto f = rows.features(row);
        kept.emplace_back(f.begin(), f.end());
        moves.push_back({kept.back(), rows.classOf(row), row, -1});
        if (rng() % 2) {
          rows.setClass(row, 1000 - static_cast<uint32_t>(rng() % 700));
          moves.push_back({kept.back(), rows.classOf(row), row, +1});
        } else {
          rows.setLive(row, false);
        }
      }
      InstanceBase retrained(width);
      QVERIFY(retrained.add(rows.liveInstances()).isOk());
      QVERIFY(retrained.classTotals().size() > 256);
      current = current->edited(moves, rows, classOrderOf(retrained));
      for (FeatureWeighting w : {FeatureWeighting::kGainRatio, FeatureWeighting::kInfoGain,
                                 FeatureWeighting::kChiSquare})
        QVERIFY2(current->weights(classOrderOf(retrained), w) ==
                     computeFeatureWeights(retrained.featureCounts(), retrained.classTotals(), w),
                 ("step " + std::to_string(step)).c_str());
    }
  }

  // Edits that move the first rows of many classes at once (removing and restoring the lowest
  // rows, sometimes one row restored and removed again in one edit), over values of a few classes
  // each: the class order moves in many ways, and the values whose classes it reorders must be
  // summed again (the others keep their entropies).
  void classOrderMoves() {
    std::mt19937 rng(13);
    const int width = 2;
    auto base = randomPairs(rng, 500, 60, 90, [&] { return static_cast<uint32_t>(rng() % 40); });
    EditedRows rows(base);
    std::shared_ptr<const MaintainedCounts> current = trainedCounts(*base, rows);
    QVERIFY(current);
    for (int step = 0; step < 200; ++step) {
      std::vector<MaintainedCounts::Move> moves;  // no row is appended: their features stay put
      for (int k = 0; k < 1 + static_cast<int>(rng() % 12); ++k) {
        const size_t row = rng() % 60;
        const int delta = rows.live(row) ? -1 : +1;
        rows.setLive(row, delta > 0);
        moves.push_back({rows.features(row), rows.classOf(row), row, delta});
      }
      InstanceBase retrained(width);
      QVERIFY(retrained.add(rows.liveInstances()).isOk());
      current = current->edited(moves, rows, classOrderOf(retrained));
      for (FeatureWeighting w : {FeatureWeighting::kGainRatio, FeatureWeighting::kInfoGain})
        QVERIFY2(current->weights(classOrderOf(retrained), w) ==
                     computeFeatureWeights(retrained.featureCounts(), retrained.classTotals(), w),
                 ("step " + std::to_string(step)).c_str());
    }
  }

  // Four classes whose first rows go, so that their order turns round (A B C D to D C B A): a
  // value of three of them (none kept in place) sums them the other way round.
  void classesPassingEachOther() {
    // Counts whose entropy differs in the last bits when summed the other way round.
    for (const std::array<uint32_t, 3>& counts : {std::array<uint32_t, 3>{1, 2, 9}, {1, 3, 5}}) {
      auto base = std::make_shared<InstanceSet>();
      base->width = 2;
      const auto add = [&](uint32_t value, uint32_t classId) {
        base->features.insert(base->features.end(), {value, 0});
        base->classes.push_back(classId);
        base->sources.push_back(base->sources.size());
      };
      for (uint32_t c : {1, 2, 3, 4}) add(9, c);
      for (uint32_t c : {4, 3, 2, 1}) add(8, c);
      for (uint32_t c : {1, 2, 3})
        for (uint32_t i = 0; i < counts[c - 1]; ++i) add(7, c);
      EditedRows rows(base);
      std::shared_ptr<const MaintainedCounts> current = trainedCounts(*base, rows);
      QVERIFY(current);
      std::vector<MaintainedCounts::Move> moves;
      for (size_t r = 0; r < 4; ++r) {
        rows.setLive(r, false);
        moves.push_back({rows.features(r), rows.classOf(r), r, -1});
      }
      InstanceBase retrained(2);
      QVERIFY(retrained.add(rows.liveInstances()).isOk());
      current = current->edited(moves, rows, classOrderOf(retrained));
      QCOMPARE(current->weights(classOrderOf(retrained), FeatureWeighting::kGainRatio),
               computeFeatureWeights(retrained.featureCounts(), retrained.classTotals(),
                                     FeatureWeighting::kGainRatio));
    }
  }

  void cancelledCountingStops() {
    std::mt19937 rng(3);
    auto base = randomInstances(rng, 100, 2);
    InstanceBase trained(2);
    QVERIFY(trained.add(*base).isOk());
    JobControl job;
    job.cancel();
    auto counts = MaintainedCounts::of(trained, EditedRows(base), &job);
    QVERIFY(!counts);
    QVERIFY(counts.status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestMaintainedCounts)
#include "tst_maintained_counts.moc"
