// TRIBL2 over an edited memory against a memory retrained from the edited instances, on edits
// aimed at how its answers walk the memory (tst_incremental_edits draws random ones).
#include <QtTest>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "classify/classifier_factories.h"
#include "kjv_slice.h"
#include "memlens/edited_memory.h"
#include "memory/overlap_memory.h"

using namespace memlens;
using memlens::test::kjvSlice;

class TestTribl2Edits : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // TRIBL2 re-votes a probe context an edit reaches below its matched tree prefix and answers
  // again one whose walk the edit moves. Edits aimed at probe contexts, each committed and checked
  // against a retrained memory (every probe token's answer; the preview names exactly those that
  // change): an instance inserted that agrees with the context one tree feature deeper than its
  // walk matched and differs everywhere else (the walk goes deeper to a vector far from it), an
  // exact match's vector relabelled, the nearest stored vector below its prefix deleted (a
  // re-vote), the nearest with another first tree value deleted (near, but outside the prefix),
  // and every instance below its prefix pruned (the walk stops higher).
  void tribl2EditsFollowTheWalk() {
    auto s = kjvSlice(400, 6);
    QVERIFY2(s, "no KJV slice: build the demo_corpus target (or free disk space)");
    ClassifierOptions options;
    options.algorithm = Algorithm::kTribl2;
    options.fixedWeights = *EditedMemory::trainedWeights(s->train, options);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    auto trained = std::move(*createClassifier(options));
    QVERIFY(trained->train(s->train).isOk());
    const std::vector<int> order = overlapMemoryOf(*trained)->treeOrder();
    const std::vector<double>& weights = options.fixedWeights;
    const size_t w = order.size();
    const auto distance = [&](std::span<const uint32_t> a, std::span<const uint32_t> b) {
      double d = 0.0;
      for (size_t f = 0; f < w; ++f)
        if (a[f] != b[f]) d += weights[f];
      return d;
    };
    // Whether `a` and `b` agree on the first `depth` tree features.
    const auto agree = [&](std::span<const uint32_t> a, std::span<const uint32_t> b, int depth) {
      for (int t = 0; t < depth; ++t) {
        const auto f = static_cast<size_t>(order[static_cast<size_t>(t)]);
        if (a[f] != b[f]) return false;
      }
      return true;
    };
    int steps = 0;
    const auto apply = [&](const MemoryEdit& edit) {
      const std::vector<uint32_t> before = m->probePredictions();
      auto preview = m->preview(edit);
      QVERIFY2(preview, preview.status().toString().c_str());
      QVERIFY(!preview->retrained);
      const std::vector<ChangedToken> changed = preview->changed;
      QVERIFY(m->commit(std::move(*preview)).isOk());
      ++steps;
      auto fresh = std::move(*createClassifier(options));
      QVERIFY(fresh->train(m->instances()).isOk());
      const std::vector<Prediction> want = *fresh->predict(s->probe, PredictOptions{});
      std::vector<size_t> expected;
      for (size_t t = 0; t < want.size(); ++t) {
        QVERIFY2(m->probePredictions()[t] == want[t].classId,
                 ("edit " + std::to_string(steps) + ", probe token " + std::to_string(t)).c_str());
        if (want[t].classId != before[t]) expected.push_back(t);
      }
      QCOMPARE(changed.size(), expected.size());
      for (size_t t = 0; t < changed.size(); ++t) QCOMPARE(changed[t].probeIndex, expected[t]);
    };
    const auto otherClass = [&](uint32_t c) {
      return *std::find_if(s->train.classes.begin(), s->train.classes.end(),
                           [c](uint32_t x) { return x != c; });
    };
    int deeper = 0, exact = 0, nearest = 0, outside = 0, emptied = 0;
    for (size_t i = 0; i < s->probe.size() && steps < 60; i += 11) {
      const auto q = s->probe.instance(i);
      const Prediction now = m->classifier().predictOne(q, PredictOptions{});
      const int depth = now.matchDepth;
      const InstanceSet& live = m->instances();
      MemoryEdit edit;
      switch (i % 4) {
        case 0: {
          if (depth == static_cast<int>(w)) {
            edit.kind = EditKind::kRelabelVector;
            edit.features.assign(q.begin(), q.end());
            edit.classId = otherClass(now.classId);
            ++exact;
            break;
          }
          // Agreeing one tree feature deeper, the other values from a live instance that
          // differs from the context on each (when one does).
          edit.kind = EditKind::kInsertInstance;
          edit.features.assign(q.begin(), q.end());
          for (size_t t = static_cast<size_t>(depth) + 1; t < w; ++t) {
            const auto f = static_cast<size_t>(order[t]);
            for (size_t j = 0; j < live.size(); ++j)
              if (live.instance(j)[f] != q[f]) {
                edit.features[f] = live.instance(j)[f];
                break;
              }
          }
          edit.classId = otherClass(now.classId);
          ++deeper;
          break;
        }
        case 1:
        case 2: {
          // Case 1: the nearest live vector below the prefix (not the context itself); case 2:
          // the nearest with another first tree value.
          std::optional<size_t> best;
          for (size_t j = 0; j < live.size(); ++j) {
            const auto v = live.instance(j);
            const bool below = agree(v, q, depth) && distance(v, q) > 0.0;
            const bool elsewhere = !agree(v, q, 1);
            if ((i % 4 == 1 ? below : elsewhere) &&
                (!best || distance(v, q) < distance(live.instance(*best), q)))
              best = j;
          }
          if (!best) continue;
          edit.kind = EditKind::kDeleteVector;
          edit.features.assign(live.instance(*best).begin(), live.instance(*best).end());
          ++(i % 4 == 1 ? nearest : outside);
          break;
        }
        default: {
          if (depth == 0 || depth == static_cast<int>(w)) continue;
          edit.kind = EditKind::kPrune;
          for (size_t j = 0; j < live.size(); ++j)
            if (agree(live.instance(j), q, depth)) edit.sources.push_back(live.sources[j]);
          std::sort(edit.sources.begin(), edit.sources.end());
          if (edit.sources.size() * 4 > live.size()) continue;
          ++emptied;
          break;
        }
      }
      apply(edit);
    }
    qInfo("%d deeper, %d exact, %d nearest, %d outside, %d emptied", deeper, exact, nearest,
          outside, emptied);
    QVERIFY(deeper > 5 && exact > 0 && nearest > 5 && outside > 5 && emptied > 5);
  }
};

QTEST_GUILESS_MAIN(TestTribl2Edits)
#include "tst_tribl2_edits.moc"
