#include <QtTest>

#include <algorithm>
#include <map>

#include "classify/classifier_factories.h"
#include "edit/incremental_igtree.h"
#include "edit_fixture.h"
#include "kjv_slice.h"
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
    const auto [options, order] = keptWeights(s->train);
    QVERIFY(!order.empty());
    const auto first = static_cast<size_t>(order[0]);
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
      answersAsRetrained(*s, options, *m, edit, retrains, true);
    };
    check(prune, false);
    QVERIFY(!QTest::currentTestFailed());
    check(restore, false);
    QVERIFY(!QTest::currentTestFailed());
    check(rootMoves, true);
    QVERIFY(!QTest::currentTestFailed());
    while (!m->edits().empty()) QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
  }

  // Defaults moved under many nodes at once, after an edit that put a quarter of a document's
  // stored vectors in the overlay: the subtrees rebuilt one after another in tree order (each
  // one's stored vectors found by narrowing the ranges found for the one before) hold the
  // overlay's counts in place of the base's, with compression re-settled below them; siblings
  // under one first value rebuilt in turn, a first value's subtree emptied, nodes whose kept and
  // dropped children change. Then the document restored and everything undone.
  void rebuiltSubtreesAnswerAsRetrained() {
    auto s = memlens::test::makeEditSetup(300, 4);
    const auto [options, order] = keptWeights(s->train);
    QVERIFY(!order.empty());
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const std::vector<uint32_t> original = m->probePredictions();

    MemoryEdit thin;
    thin.kind = EditKind::kPrune;
    const InstanceSet& all = m->instances();
    for (size_t i = 0; i < all.size(); i += 4)
      if (s->corpus->tokens.position(all.sources[i]).document == 1)
        thin.sources.push_back(all.sources[i]);
    std::sort(thin.sources.begin(), thin.sources.end());
    answersAsRetrained(*s, options, *m, thin, false, false);
    QVERIFY(!QTest::currentTestFailed());

    // The live instances under each node of the first two tree levels, by class.
    const InstanceSet& live = m->instances();
    using ByClass = std::map<uint32_t, std::vector<uint64_t>>;
    std::map<uint32_t, ByClass> level1;
    std::map<std::pair<uint32_t, uint32_t>, ByClass> level2;
    std::map<uint32_t, size_t> totals;
    for (size_t i = 0; i < live.size(); ++i) {
      const auto f = live.instance(i);
      const uint32_t a = f[order[0]], b = f[order[1]], c = live.classes[i];
      level1[a][c].push_back(live.sources[i]);
      level2[{a, b}][c].push_back(live.sources[i]);
      ++totals[c];
    }
    const uint32_t rootClass =
        std::max_element(totals.begin(), totals.end(), [](const auto& x, const auto& y) {
          return x.second < y.second;
        })->first;
    MemoryEdit moves;
    moves.kind = EditKind::kPrune;
    // The node's most frequent class (not the root's: its default stays) loses instances until
    // the second one has as many: a default that moves, or stays by the tie order.
    const auto topLoses = [&](const ByClass& byClass) {
      if (byClass.size() < 2) return false;
      std::vector<std::pair<size_t, uint32_t>> counts;
      for (const auto& [c, sources] : byClass) counts.emplace_back(sources.size(), c);
      std::sort(counts.rbegin(), counts.rend());
      if (counts[0].second == rootClass) return false;
      const std::vector<uint64_t>& top = byClass.at(counts[0].second);
      moves.sources.insert(
          moves.sources.end(), top.begin(),
          top.begin() + static_cast<std::ptrdiff_t>(counts[0].first - counts[1].first + 1));
      return true;
    };
    size_t level1Moved = 0, level2Moved = 0, index = 0;
    for (const auto& [a, byClass] : level1)
      if (index++ % 2 == 0 && topLoses(byClass)) ++level1Moved;
    for (const auto& [ab, byClass] : level2)
      if (ab.first % 3 == 1 && topLoses(byClass)) ++level2Moved;
    // A first value's whole subtree emptied: the last one's.
    for (const auto& [c, sources] : level1.rbegin()->second)
      moves.sources.insert(moves.sources.end(), sources.begin(), sources.end());
    QVERIFY(level1Moved > 3 && level2Moved > 3);
    std::sort(moves.sources.begin(), moves.sources.end());
    moves.sources.erase(std::unique(moves.sources.begin(), moves.sources.end()),
                        moves.sources.end());
    answersAsRetrained(*s, options, *m, moves, false, true);
    QVERIFY(!QTest::currentTestFailed());

    MemoryEdit restore;
    restore.kind = EditKind::kRestoreDocument;
    restore.document = 1;
    answersAsRetrained(*s, options, *m, restore, false, false);
    QVERIFY(!QTest::currentTestFailed());
    while (!m->edits().empty()) QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
  }

  // Below a node that compression dropped (over several stored vectors), a leaf whose default
  // moves while the node and every node above it keep theirs: the dropped node is kept again
  // over that one leaf, without rebuilding its subtree (the answers move under the leaf alone).
  void droppedNodeKeepsItsDefault() {
    auto s = memlens::test::kjvSlice(120, 3);
    QVERIFY2(s, "no KJV slice: build the demo_corpus target (or free disk space)");
    const auto [options, order] = keptWeights(s->train);
    QVERIFY(order.size() == 3);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const std::vector<uint32_t> original = m->probePredictions();
    const InstanceSet& live = m->instances();
    auto trained = std::move(*createClassifier(options));
    QVERIFY(trained->train(live).isOk());
    const IgTree& tree = *igTreeOf(*trained);
    // Per node (values in tree order), the live instances by class, and the leaves below it.
    using ByClass = std::map<uint32_t, std::vector<uint64_t>>;
    std::map<std::vector<uint32_t>, ByClass> under;
    std::map<std::vector<uint32_t>, size_t> leaves, example;  // example: an instance's index
    for (size_t i = 0; i < live.size(); ++i) {
      const auto f = live.instance(i);
      std::vector<uint32_t> prefix;
      for (size_t d = 0; d < 3; ++d) {
        prefix.push_back(f[static_cast<size_t>(order[d])]);
        under[prefix][live.classes[i]].push_back(live.sources[i]);
      }
      example[prefix] = i;
    }
    for (const auto& [prefix, byClass] : under)
      if (prefix.size() == 3) {
        ++leaves[{prefix[0]}];
        ++leaves[{prefix[0], prefix[1]}];
      }
    // Whether class `c` is ahead of every other by at least `margin` instances at a node.
    const auto leads = [&](const std::vector<uint32_t>& prefix, uint32_t c, size_t margin) {
      const ByClass& byClass = under.at(prefix);
      const size_t n = byClass.count(c) ? byClass.at(c).size() : 0;
      return std::all_of(byClass.begin(), byClass.end(), [&](const auto& other) {
        return other.first == c || other.second.size() + margin <= n;
      });
    };
    // Whether compression dropped the node at `prefix` (of one or two values).
    const auto isDropped = [&](const std::vector<uint32_t>& prefix) {
      const IgTree::Node* a = tree.child(tree.root(), prefix[0]);
      return prefix.size() == 1 ? !a : a && !tree.child(*a, prefix[1]);
    };
    // The first node on a leaf's path that compression may have dropped.
    const auto highestDropped = [&](const std::vector<uint32_t>& path) {
      return isDropped({path[0]}) ? std::vector<uint32_t>{path[0]}
                                  : std::vector<uint32_t>{path[0], path[1]};
    };
    MemoryEdit relabel;
    relabel.kind = EditKind::kRelabelInstance;
    std::vector<uint32_t> leaf, droppedNode;
    for (const auto& [prefix, byClass] : under) {
      if (prefix.size() != 3 || byClass.size() != 1 || byClass.begin()->second.size() != 1)
        continue;
      // The highest node above it that compression dropped holds several stored vectors.
      const std::vector<uint32_t> dropped = highestDropped(prefix);
      if (!isDropped(dropped) || leaves[dropped] < 2) continue;
      // The leaf's one instance takes another class; its default stays ahead above.
      const uint32_t d = byClass.begin()->first;
      if (!leads({prefix[0], prefix[1]}, d, 3) || !leads({prefix[0]}, d, 3)) continue;
      relabel.source = byClass.begin()->second.front();
      relabel.classId = live.classes[0] != d ? live.classes[0] : live.classes[1];
      leaf = prefix;
      droppedNode = dropped;
      break;
    }
    QVERIFY(!leaf.empty());
    answersAsRetrained(*s, options, *m, relabel, false, false);
    QVERIFY(!QTest::currentTestFailed());
    // The answers moved below the dropped node (at the leaf, or at a node it alone is under), not
    // under a subtree rebuilt at the dropped node.
    const auto& rebuilt = dynamic_cast<const IncrementalIgTree&>(m->classifier()).rebuilt();
    QCOMPARE(rebuilt.size(), size_t{1});
    QVERIFY(rebuilt[0].size() > droppedNode.size());
    QVERIFY(std::equal(rebuilt[0].begin(), rebuilt[0].end(), leaf.begin()));

    // Then a node compression dropped (over several stored vectors, elsewhere) whose own default
    // moves: a stored vector holding most of its default's instances relabelled to a class it
    // lacks. It is rebuilt with what is below it.
    MemoryEdit moves;
    moves.kind = EditKind::kRelabelVector;
    for (const auto& [prefix, byClass] : under) {
      if (prefix.size() != 3 || byClass.size() != 1 || prefix[0] == leaf[0]) continue;
      const uint32_t d = byClass.begin()->first;
      const size_t n = byClass.begin()->second.size();
      const std::vector<uint32_t> dropped = highestDropped(prefix);
      if (!isDropped(dropped) || leaves[dropped] < 2 || 2 * n <= under.at(dropped).at(d).size() ||
          (dropped.size() == 2 && !leads({prefix[0]}, d, 2 * n + 1)))
        continue;
      const auto lacked = std::find_if(live.classes.begin(), live.classes.end(),
                                       [&](uint32_t c) { return !under.at(dropped).count(c); });
      moves.features.assign(live.instance(example.at(prefix)).begin(),
                            live.instance(example.at(prefix)).end());
      moves.classId = *lacked;
      break;
    }
    QVERIFY(!moves.features.empty());
    answersAsRetrained(*s, options, *m, moves, false, false);
    QVERIFY(!QTest::currentTestFailed());
    while (!m->edits().empty()) QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
  }

  // A batch spread over every first value of a KJV slice, whose tree edit opens thousands of
  // nodes: the subtrees of the root's children are edited in chunks on all cores (chunks of
  // whole subtrees, each node's parent in its chunk), then entered in order. Then another batch
  // over the nodes the first one left in the edited tree, and everything undone.
  void chunkedBatchesAnswerAsRetrained() {
    auto s = memlens::test::kjvSlice(1500, 4);
    QVERIFY2(s, "no KJV slice: build the demo_corpus target (or free disk space)");
    const auto [options, order] = keptWeights(s->train);
    QVERIFY(!order.empty());
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const std::vector<uint32_t> original = m->probePredictions();
    const auto every = [&](size_t step, size_t offset) {
      MemoryEdit thin;
      thin.kind = EditKind::kPrune;
      const InstanceSet& live = m->instances();
      for (size_t i = offset; i < live.size(); i += step) thin.sources.push_back(live.sources[i]);
      std::sort(thin.sources.begin(), thin.sources.end());
      return thin;
    };
    answersAsRetrained(*s, options, *m, every(13, 0), false, true);
    QVERIFY(!QTest::currentTestFailed());
    answersAsRetrained(*s, options, *m, every(17, 5), false, false);
    QVERIFY(!QTest::currentTestFailed());
    while (!m->edits().empty()) QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
  }

  // A run of a tenth of the KJV's instances removed: fewer changes than an in-place edit may
  // make (an eighth of the instances) and the root's default stays, but the stored vectors whose
  // paths the moved tie order of classes sends to be checked again make too many: the edit
  // retrains, and answers as retrained.
  void manyStaleVectorsRetrain() {
    auto s = memlens::test::kjvSlice(1 << 20, 4);
    QVERIFY2(s, "no KJV slice: build the demo_corpus target (or free disk space)");
    const auto [options, order] = keptWeights(s->train);
    QVERIFY(!order.empty());
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const InstanceSet& live = m->instances();
    MemoryEdit run;
    run.kind = EditKind::kPrune;
    const size_t from = live.size() / 2;
    run.sources.assign(live.sources.begin() + static_cast<std::ptrdiff_t>(from),
                       live.sources.begin() + static_cast<std::ptrdiff_t>(from + live.size() / 10));
    std::sort(run.sources.begin(), run.sources.end());
    // The most frequent class stays ahead of the second (else the root's default moves).
    std::map<uint32_t, size_t> totals, left;
    for (size_t i = 0; i < live.size(); ++i) ++totals[live.classes[i]];
    left = totals;
    for (size_t i = from; i < from + live.size() / 10; ++i) --left[live.classes[i]];
    const auto top = [](const std::map<uint32_t, size_t>& t) {
      return std::max_element(t.begin(), t.end(),
                              [](const auto& x, const auto& y) { return x.second < y.second; })
          ->first;
    };
    QCOMPARE(top(left), top(totals));
    answersAsRetrained(*s, options, *m, run, true, false);
    QVERIFY(!QTest::currentTestFailed());
    QVERIFY(m->undo().isOk());
  }

 private:
  // IGTree options keeping the weights trained on `train`, and the tree order they give (empty
  // when training failed).
  static std::pair<ClassifierOptions, std::vector<int>> keptWeights(const InstanceSet& train) {
    ClassifierOptions options;
    options.algorithm = Algorithm::kIgTree;
    options.fixedWeights = *EditedMemory::trainedWeights(train, options);
    auto trained = std::move(*createClassifier(options));
    if (!trained->train(train).isOk()) return {options, {}};
    return {options, igTreeOf(*trained)->order()};
  }

  // Commits `edit` (made in place unless `retrains`) and checks that the memory answers every
  // probe token and every stored vector of the trained memory as one retrained from its
  // instances, with the same traces, and that the preview named exactly the probe tokens whose
  // answer changed (some did, when `changes`).
  template <typename Setup>  // an EditSetup or a KJV slice
  static void answersAsRetrained(const Setup& s, const ClassifierOptions& options, EditedMemory& m,
                                 const MemoryEdit& edit, bool retrains, bool changes) {
    const std::vector<uint32_t> before = m.probePredictions();
    auto preview = m.preview(edit);
    QVERIFY2(preview, preview.status().toString().c_str());
    QCOMPARE(preview->retrained, retrains);
    const std::vector<ChangedToken> changed = preview->changed;
    QVERIFY(m.commit(std::move(*preview)).isOk());
    if (!retrains) QVERIFY(dynamic_cast<const IncrementalIgTree*>(&m.classifier()));
    auto fresh = std::move(*createClassifier(options));
    QVERIFY(fresh->train(m.instances()).isOk());
    PredictOptions traced;
    traced.distributions = true;
    for (const InstanceSet* queries : {&s.probe, &s.train}) {
      const auto got = std::move(*m.classifier().predict(*queries, traced));
      const auto want = std::move(*fresh->predict(*queries, traced));
      for (size_t i = 0; i < want.size(); ++i)
        QVERIFY2(sameTreeAnswer(got[i], want[i]), ("query " + std::to_string(i)).c_str());
      for (size_t i = 0; i < queries->size(); i += 5)
        QVERIFY2(sameTrace(m.classifier().treePath(queries->instance(i)),
                           fresh->treePath(queries->instance(i))),
                 ("trace of " + std::to_string(i)).c_str());
      if (queries != &s.probe) continue;
      std::vector<size_t> expected;
      for (size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(m.probePredictions()[i], want[i].classId);
        if (want[i].classId != before[i]) expected.push_back(i);
      }
      if (changes) QVERIFY(!expected.empty());
      QCOMPARE(changed.size(), expected.size());
      for (size_t i = 0; i < changed.size(); ++i) QCOMPARE(changed[i].probeIndex, expected[i]);
    }
  }
};

QTEST_GUILESS_MAIN(TestIgTreeBatches)
#include "tst_igtree_batches.moc"
