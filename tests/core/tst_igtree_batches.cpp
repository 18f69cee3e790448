#include <QtTest>

#include <algorithm>
#include <map>

#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"
#include "edit_fixture.h"
#include "memlens/edited_memory.h"
#include "tree_answers.h"

using namespace memlens;
using memlens::test::sameTrace;
using memlens::test::sameTreeAnswer;

// IGTree edits of many instances at once (a document-sized prune at 100M changes 731k) sum each
// tree node's count changes over the edited vectors below it in one pass: every node on their
// paths, kept, emptied or rebuilt, must come out as a retrained tree has it.
class TestIgTreeBatches : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // One prune that empties the subtree of a first tree value, takes the default class away
  // from another's, and thins a document out (leaves emptied and kept beside each other), then
  // the document restored (paths made again), then a prune that moves the root's default
  // (retrained): each answers every probe token and every stored vector of the trained memory
  // (whose walks reach every node) as a memory retrained from the edited instances, with the
  // same traces, and its preview names exactly the probe tokens whose answer changes.
  void batchesAnswerAsRetrained() {
    auto s = memlens::test::makeEditSetup(300, 4);
    ClassifierOptions options;
    options.algorithm = Algorithm::kIgTree;
    options.fixedWeights = *EditedMemory::trainedWeights(s->train, options);
    auto trained = std::move(*createClassifier(options));
    QVERIFY(trained->train(s->train).isOk());
    const auto first = static_cast<size_t>(igTreeOf(*trained)->order()[0]);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const std::vector<uint32_t> original = m->probePredictions();

    // Per first tree value, the live instances under it by class.
    const InstanceSet& live = m->instances();
    std::map<uint32_t, std::map<uint32_t, std::vector<uint64_t>>> under;
    for (size_t i = 0; i < live.size(); ++i)
      under[live.instance(i)[first]][live.classes[i]].push_back(live.sources[i]);
    QVERIFY(under.size() > 3);
    auto value = under.begin();
    MemoryEdit prune;
    prune.kind = EditKind::kPrune;
    for (const auto& [c, sources] : value->second)
      prune.sources.insert(prune.sources.end(), sources.begin(), sources.end());
    ++value;
    const auto most = std::max_element(
        value->second.begin(), value->second.end(),
        [](const auto& a, const auto& b) { return a.second.size() < b.second.size(); });
    QVERIFY(value->second.size() > 1);
    prune.sources.insert(prune.sources.end(), most->second.begin(), most->second.end());
    for (size_t i = 0; i < live.size(); i += 3)
      if (s->corpus->tokens.position(live.sources[i]).document == 1)
        prune.sources.push_back(live.sources[i]);
    std::sort(prune.sources.begin(), prune.sources.end());
    prune.sources.erase(std::unique(prune.sources.begin(), prune.sources.end()),
                        prune.sources.end());
    MemoryEdit restore;
    restore.kind = EditKind::kRestoreDocument;
    restore.document = 1;
    // The most frequent class loses instances until the second one passes it.
    std::map<uint32_t, std::vector<uint64_t>> byClass;
    for (size_t i = 0; i < live.size(); ++i) byClass[live.classes[i]].push_back(live.sources[i]);
    std::vector<std::pair<size_t, uint32_t>> totals;
    for (const auto& [c, sources] : byClass) totals.emplace_back(sources.size(), c);
    std::sort(totals.rbegin(), totals.rend());
    MemoryEdit rootMoves;
    rootMoves.kind = EditKind::kPrune;
    const std::vector<uint64_t>& top = byClass[totals[0].second];
    rootMoves.sources.assign(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(
                                                            totals[0].first - totals[1].first + 1));

    const auto check = [&](const MemoryEdit& edit, bool retrains) {
      const std::vector<uint32_t> before = m->probePredictions();
      auto preview = m->preview(edit);
      QVERIFY2(preview, preview.status().toString().c_str());
      QCOMPARE(preview->retrained, retrains);
      const std::vector<ChangedToken> changed = preview->changed;
      QVERIFY(m->commit(std::move(*preview)).isOk());
      if (!retrains) QVERIFY(dynamic_cast<const IncrementalIgTree*>(&m->classifier()));
      auto fresh = std::move(*createClassifier(options));
      QVERIFY(fresh->train(m->instances()).isOk());
      PredictOptions traced;
      traced.distributions = true;
      for (const InstanceSet* queries : {&s->probe, &s->train}) {
        const auto got = std::move(*m->classifier().predict(*queries, traced));
        const auto want = std::move(*fresh->predict(*queries, traced));
        for (size_t i = 0; i < want.size(); ++i)
          QVERIFY2(sameTreeAnswer(got[i], want[i]), ("query " + std::to_string(i)).c_str());
        for (size_t i = 0; i < queries->size(); i += 5)
          QVERIFY2(sameTrace(m->classifier().treePath(queries->instance(i)),
                             fresh->treePath(queries->instance(i))),
                   ("trace of " + std::to_string(i)).c_str());
        if (queries != &s->probe) continue;
        std::vector<size_t> expected;
        for (size_t i = 0; i < want.size(); ++i) {
          QCOMPARE(m->probePredictions()[i], want[i].classId);
          if (want[i].classId != before[i]) expected.push_back(i);
        }
        QVERIFY(!expected.empty());
        QCOMPARE(changed.size(), expected.size());
        for (size_t i = 0; i < changed.size(); ++i) QCOMPARE(changed[i].probeIndex, expected[i]);
      }
    };
    check(prune, false);
    check(restore, false);
    check(rootMoves, true);
    while (!m->edits().empty()) QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
  }
};

QTEST_GUILESS_MAIN(TestIgTreeBatches)
#include "tst_igtree_batches.moc"
