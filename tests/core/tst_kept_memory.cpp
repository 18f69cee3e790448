#include <QtTest>

#include <algorithm>
#include <optional>
#include <tuple>

#include "classify/classifier_factories.h"
#include "edit/incremental_classifier.h"
#include "kept_kjv.h"
#include "memlens/edited_memory.h"
#include "memlens/instance_builder.h"
#include "memlens/pruning.h"
#include "memlens/tokenised_corpus.h"
#include "tree_answers.h"

using namespace memlens;
using namespace memlens::test;

namespace {

// Class, distances, votes, tie, depth and the neighbours by stored vector id.
bool samePrediction(const Prediction& a, const Prediction& b) {
  const auto outcome = [](const Prediction& p) {
    return std::tie(p.classId, p.distance, p.tie, p.instances, p.matchDepth, p.leaf);
  };
  const auto vote = [](const ClassVote& v) { return std::tie(v.classId, v.weight); };
  const auto bucket = [](const NeighbourBucket& n) {
    return std::tie(n.distance, n.weight, n.storedVectors, n.unlistedVectors);
  };
  return outcome(a) == outcome(b) &&
         std::ranges::equal(a.distribution, b.distribution, {}, vote, vote) &&
         std::ranges::equal(a.neighbours, b.neighbours, {}, bucket, bucket);
}

}  // namespace

class TestKeptMemory : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void countPruneEqualsRetrain_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<bool>("fixed");
    QTest::newRow("ib1") << static_cast<int>(Algorithm::kIb1) << false;
    QTest::newRow("ib1 fixed weights") << static_cast<int>(Algorithm::kIb1) << true;
    QTest::newRow("tribl2") << static_cast<int>(Algorithm::kTribl2) << false;
    QTest::newRow("igtree") << static_cast<int>(Algorithm::kIgTree) << false;
  }

  // A count-threshold prune of the KJV (after a relabel, a merge and two insertions of a vector
  // the trained memory lacks, so that rows are looked up by features too) retrains from the
  // trained memory's stored vectors: its memory equals one trained on the kept instances (the
  // same vectors in the same order, distributions, classes, sources, weights) and answers every
  // probe token with the same votes, neighbours and tree paths.
  void countPruneEqualsRetrain() {
    QFETCH(int, algorithm);
    QFETCH(bool, fixed);
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    QVERIFY2(corpus, "the KJV demo corpus is missing: build the demo_corpus target");
    InstanceSet train, probe;
    splitKjv(**corpus, train, probe);
    ClassifierOptions options;
    options.algorithm = static_cast<Algorithm>(algorithm);
    if (fixed) options.fixedWeights = *EditedMemory::trainedWeights(train, options);
    auto created = EditedMemory::create(std::move(*corpus), train, probe, options);
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;

    const auto commit = [&](const MemoryEdit& edit) {
      auto preview = m.preview(edit);
      QVERIFY2(preview, preview.status().toString().c_str());
      QVERIFY(m.commit(std::move(*preview)).isOk());
    };
    MemoryEdit relabel;
    relabel.kind = EditKind::kRelabelVector;
    relabel.features.assign(train.instance(500).begin(), train.instance(500).end());
    relabel.classId = train.classes[900];
    commit(relabel);
    MemoryEdit merge;
    merge.kind = EditKind::kMerge;
    merge.sources = {train.sources[3000]};
    merge.targets = {train.sources[10]};
    commit(merge);
    MemoryEdit insert;
    insert.kind = EditKind::kInsertInstance;
    insert.features = {train.classes[1], train.classes[2], train.classes[3], train.classes[4]};
    insert.classId = train.classes[5];
    commit(insert);
    commit(insert);
    PruneOptions count;
    count.minCount = 2;
    auto prune = planPrune(m, count);
    QVERIFY2(prune, prune.status().toString().c_str());
    auto preview = m.preview(*prune);
    QVERIFY2(preview, preview.status().toString().c_str());
    QVERIFY(preview->retrained);
    QVERIFY(m.commit(std::move(*preview)).isOk());

    const auto* engine = dynamic_cast<const IncrementalClassifier*>(&m.classifier());
    QVERIFY(engine);
    const Classifier& pruned = *engine->base();
    auto fresh = std::move(*createClassifier(options));
    QVERIFY(fresh->train(m.instances()).isOk());
    const InstanceBase &a = pruned.memory(), &b = fresh->memory();
    QCOMPARE(a.vectorCount(), b.vectorCount());
    QCOMPARE(a.instanceCount(), b.instanceCount());
    QVERIFY(a.find(insert.features) != InstanceBase::kNone);
    for (uint32_t id = 0; id < a.vectorCount(); ++id) {
      QVERIFY2(std::ranges::equal(a.vector(id), b.vector(id)), std::to_string(id).c_str());
      QVERIFY(std::ranges::equal(a.distribution(id), b.distribution(id),
                                 [](const ClassCount& x, const ClassCount& y) {
                                   return x.classIndex == y.classIndex && x.count == y.count;
                                 }));
      QCOMPARE(a.sources(id), b.sources(id));
    }
    QCOMPARE(a.classCount(), b.classCount());
    for (uint32_t c = 0; c < a.classCount(); ++c) QCOMPARE(a.classId(c), b.classId(c));
    QCOMPARE(a.classTotals(), b.classTotals());
    QCOMPARE(pruned.weights(), fresh->weights());

    // The edited memory's answers (its engine over the pruned base), and the pruned base's
    // neighbours and tree paths (an edited memory lists neighbours from a memory trained anew).
    const std::vector<Prediction> got = *m.classifier().predict(probe, PredictOptions{});
    const std::vector<Prediction> want = *fresh->predict(probe, PredictOptions{});
    for (size_t i = 0; i < want.size(); ++i) {
      QVERIFY2(samePrediction(got[i], want[i]), ("probe token " + std::to_string(i)).c_str());
      QCOMPARE(m.probePredictions()[i], want[i].classId);
    }
    PredictOptions traced;
    traced.neighbours = true;
    const std::vector<Prediction> gotTraced = *pruned.predict(probe, traced);
    const std::vector<Prediction> wantTraced = *fresh->predict(probe, traced);
    for (size_t i = 0; i < wantTraced.size(); ++i)
      QVERIFY2(samePrediction(gotTraced[i], wantTraced[i]),
               ("probe token " + std::to_string(i)).c_str());
    if (options.algorithm != Algorithm::kIb1)
      for (size_t i = 0; i < probe.size(); i += 37)
        QVERIFY(sameTrace(pruned.treePath(probe.instance(i)), fresh->treePath(probe.instance(i))));
  }

  void largePruneAnswersBeforeBuilding_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("k");
    QTest::addColumn<int>("weighting");
    QTest::newRow("ib1 k=1") << static_cast<int>(Algorithm::kIb1) << 1
                             << static_cast<int>(DistanceWeighting::kZero);
    QTest::newRow("ib1 k=3 inverse distance")
        << static_cast<int>(Algorithm::kIb1) << 3
        << static_cast<int>(DistanceWeighting::kInverseDistance);
    QTest::newRow("igtree") << static_cast<int>(Algorithm::kIgTree) << 1
                            << static_cast<int>(DistanceWeighting::kZero);
    QTest::newRow("tribl2 k=3") << static_cast<int>(Algorithm::kTribl2) << 3
                                << static_cast<int>(DistanceWeighting::kZero);
  }

  // IB1, IGTree or TRIBL2 under fixed weights: a count-threshold prune masking most stored vectors
  // previews without building the memory it leaves (no stored vectors are kept until commit), yet
  // every probe token's answer, the stored vectors and the instances equal those of the engine
  // trained on the kept
  // instances: planned on the unedited memory, from the stored vectors planned (no change per
  // instance), and the same edit without its plan, or with its plan on another memory or with
  // other sources, from its instances; planned with its sources unlisted (a drag's stop), the
  // same, listed when a commit or a stale plan needs them. Commit builds it, cancellable (nothing
  // changes), answers the same and journals the edit; undo and redo take it back and forth.
  void largePruneAnswersBeforeBuilding() {
    QFETCH(int, algorithm);
    QFETCH(int, k);
    QFETCH(int, weighting);
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    QVERIFY2(corpus, "the KJV demo corpus is missing: build the demo_corpus target");
    InstanceSet train, probe;
    splitKjv(**corpus, train, probe);
    ClassifierOptions options;
    options.algorithm = static_cast<Algorithm>(algorithm);
    options.k = k;
    options.distanceWeighting = static_cast<DistanceWeighting>(weighting);
    options.fixedWeights = *EditedMemory::trainedWeights(train, options);
    auto created = EditedMemory::create(std::move(*corpus), train, probe, options);
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;
    const std::vector<uint32_t> before = m.probePredictions();
    bool kept = false, planned = false;
    JobControl job(
        [&](double, const std::string& stage) {
          planned = planned || stage == "answering from the planned prune";
          kept = kept || stage == "keeping stored vectors";
        },
        std::chrono::milliseconds(0));
    JobControl cancelAtKeeping(
        [&](double, const std::string& stage) {
          if (stage != "keeping stored vectors") return;
          kept = true;
          cancelAtKeeping.cancel();
        },
        std::chrono::milliseconds(0));
    const auto without = [&](const std::vector<uint64_t>& gone) {
      return trainedWithout(train, options, gone);
    };
    // Previews `edit`, from its plan when `fromPlan`, into `preview`: its counts, and every probe
    // token's answer (`want`), are those of `fresh`.
    std::vector<uint32_t> want;
    const Classifier* wantOf = nullptr;
    std::optional<EditedMemory::Preview> preview;
    const auto check = [&](const MemoryEdit& edit, bool fromPlan, const Classifier& fresh,
                           const QByteArray& row) {
      const std::vector<uint32_t> now = m.probePredictions();
      kept = planned = false;
      auto previewed = m.preview(edit, &job);
      QVERIFY2(previewed, previewed.status().toString().c_str());
      QVERIFY2(planned == fromPlan, row);
      if (fromPlan) QVERIFY2(!kept && previewed->buildsOnCommit, row);
      QVERIFY(previewed->retrained);
      QCOMPARE(previewed->slotsAfter, fresh.memory().vectorCount());
      QCOMPARE(previewed->instancesAfter, fresh.memory().instanceCount());
      std::vector<uint32_t> after = now;
      for (const ChangedToken& t : previewed->changed) {
        QCOMPARE(t.oldClassId, now[t.probeIndex]);
        after[t.probeIndex] = t.newClassId;
      }
      if (&fresh != wantOf) {  // predicted once per memory (wantOf is reset when one goes)
        want.clear();
        for (const Prediction& p : *fresh.predict(probe, PredictOptions{}))
          want.push_back(p.classId);
        wantOf = &fresh;
      }
      for (size_t i = 0; i < want.size(); ++i)
        QVERIFY2(after[i] == want[i], (row + " probe token " + QByteArray::number(qulonglong(i))));
      preview = std::move(*previewed);
    };
    std::optional<MemoryEdit> stale, staleUnlisted;
    for (uint32_t minCount : {2u, 3u, 5u}) {
      const QByteArray row = QByteArray::number(minCount);
      PruneOptions count;
      count.minCount = minCount;
      auto prune = planPrune(m, count);
      QVERIFY2(prune, prune.status().toString().c_str());
      QVERIFY(prune->planned);
      // The plan lists exactly the sources of the vectors holding fewer than minCount instances,
      // ascending (it lists them in parallel by vector range: the KJV's vectors span several).
      std::vector<uint64_t> rare;
      const InstanceBase& held = m.classifier().memory();
      for (uint32_t v = 0; v < held.vectorCount(); ++v)
        if (const std::vector<uint64_t> sources = held.sources(v); sources.size() < minCount)
          rare.insert(rare.end(), sources.begin(), sources.end());
      std::ranges::sort(rare);
      QCOMPARE(prune->sources, rare);
      wantOf = nullptr;
      const auto fresh = without(prune->sources);
      if (minCount == 3) {
        MemoryEdit unplanned = *prune;
        unplanned.planned.reset();
        check(unplanned, false, *fresh, row + " unplanned");
        if (QTest::currentTestFailed()) return;
        // From its instances, whole vectors: masked the same.
        QVERIFY(preview->buildsOnCommit);
      }
      check(*prune, true, *fresh, row);
      if (QTest::currentTestFailed()) return;
      // Planned as a drag's stop plans it, its sources unlisted: answered from the same plan; a
      // commit, or a preview that cannot use the plan, lists them.
      PruneOptions quickly = count;
      quickly.listSources = false;
      auto unlisted = planPrune(m, quickly);
      QVERIFY2(unlisted, unlisted.status().toString().c_str());
      QVERIFY(unlisted->planned && unlisted->sources.empty());
      check(*unlisted, true, *fresh, row + " unlisted");
      if (QTest::currentTestFailed()) return;
      if (minCount == 3) stale = *prune, staleUnlisted = *unlisted;
      if (minCount != 5) continue;
      // Committed, the memory is built: cancelled while it keeps the stored vectors, nothing
      // changes and the preview still commits.
      kept = false;
      const Status cancelled = m.commit(*preview, &cancelAtKeeping);
      QVERIFY(kept);
      QVERIFY(cancelled.isCancelled());
      QVERIFY(m.edits().empty());
      QCOMPARE(m.probePredictions(), before);
      QVERIFY(m.commit(std::move(*preview)).isOk());
      QCOMPARE(m.probePredictions(), want);
      QCOMPARE(m.vectorCount(), fresh->memory().vectorCount());
      QCOMPARE(m.instanceCount(), fresh->memory().instanceCount());
      QCOMPARE(m.edits().back().sources, prune->sources);
      QVERIFY(!m.edits().back().planned);
      const std::vector<Prediction> got = *m.classifier().predict(probe, PredictOptions{});
      for (size_t i = 0; i < want.size(); ++i) QCOMPARE(got[i].classId, want[i]);
      QVERIFY(m.undo().isOk());
      QCOMPARE(m.probePredictions(), before);
      QVERIFY(m.redo().isOk());
      QCOMPARE(m.probePredictions(), want);
      QVERIFY(m.undo().isOk());
      QCOMPARE(m.probePredictions(), before);
      // The plan with its sources listed commits the same edit.
      check(*prune, true, *fresh, row + " listed");
      if (QTest::currentTestFailed()) return;
      QVERIFY(m.commit(std::move(*preview)).isOk());
      QCOMPARE(m.probePredictions(), want);
      QCOMPARE(m.edits().back().sources, prune->sources);
      QVERIFY(m.undo().isOk());
    }
    if (k != 1) return;  // the k=3 row ends here (QtTest allows a test function 5 minutes)
    // Other sources than planned: the plan is not used (a vector loses all but one instance).
    MemoryEdit fewer = *stale;
    fewer.sources.pop_back();
    wantOf = nullptr;
    check(fewer, false, *without(fewer.sources), "fewer sources");
    wantOf = nullptr;
    if (QTest::currentTestFailed()) return;
    // Planned on the memory before an edit: the plan is not used.
    const InstanceBase& trained = m.classifier().memory();
    const auto held = [&](uint32_t v) {
      uint64_t n = 0;
      for (const ClassCount& c : trained.distribution(v)) n += c.count;
      return n;
    };
    uint32_t big = 0;
    for (uint32_t v = 0; v < trained.vectorCount(); ++v)
      if (held(v) > held(big)) big = v;
    MemoryEdit remove;
    remove.kind = EditKind::kDeleteVector;
    remove.features.assign(trained.vector(big).begin(), trained.vector(big).end());
    std::vector<uint64_t> gone = trained.sources(big);
    auto removed = m.preview(remove);
    QVERIFY2(removed, removed.status().toString().c_str());
    QVERIFY(m.commit(std::move(*removed)).isOk());
    gone.insert(gone.end(), stale->sources.begin(), stale->sources.end());
    std::ranges::sort(gone);
    const auto left = without(gone);
    check(*stale, false, *left, "stale");
    if (QTest::currentTestFailed()) return;
    check(*staleUnlisted, false, *left, "stale, unlisted");
  }

  // Cancelled while it keeps the stored vectors (polled inside that build), the prune changes
  // nothing, and previews again afterwards.
  void cancelledPruneChangesNothing() {
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    QVERIFY2(corpus, "the KJV demo corpus is missing: build the demo_corpus target");
    WindowOptions window;
    window.width = 3;
    InstanceSet train = *buildInstances((*corpus)->tokens, (*corpus)->paddingId, window);
    InstanceSet probe;
    probe.width = train.width;
    auto created =
        EditedMemory::create(std::move(*corpus), std::move(train), probe, ClassifierOptions{});
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;
    auto prune = planPrune(m, PruneOptions{});
    QVERIFY2(prune, prune.status().toString().c_str());
    bool reached = false;
    JobControl job(
        [&](double, const std::string& stage) {
          if (stage != "keeping stored vectors") return;
          reached = true;
          job.cancel();
        },
        std::chrono::milliseconds(0));
    auto preview = m.preview(*prune, &job);
    QVERIFY(reached);
    QVERIFY(!preview);
    QVERIFY(preview.status().isCancelled());
    QVERIFY(m.edits().empty());
    auto again = m.preview(*prune);
    QVERIFY2(again, again.status().toString().c_str());
    QVERIFY(again->slotsAfter < again->slotsBefore);
  }

  // A plan made with its sources unlisted is listed from the memory it was planned on; when that
  // memory is no longer held, a preview elsewhere refuses it instead of pruning nothing.
  void unlistedPlanNeedsItsMemory() {
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    QVERIFY2(corpus, "the KJV demo corpus is missing: build the demo_corpus target");
    const std::shared_ptr<const TokenisedCorpus> shared = *corpus;
    WindowOptions window;
    window.width = 3;
    InstanceSet all = *buildInstances(shared->tokens, shared->paddingId, window);
    InstanceSet train, probe;
    train.width = probe.width = all.width;
    for (size_t i = 0; i < 40000; ++i) {
      InstanceSet& to = i % 50 == 7 ? probe : train;
      const auto f = all.instance(i);
      to.features.insert(to.features.end(), f.begin(), f.end());
      to.classes.push_back(all.classes[i]);
      to.sources.push_back(all.sources[i]);
    }
    auto planned = EditedMemory::create(shared, train, probe, ClassifierOptions{});
    QVERIFY2(planned, planned.status().toString().c_str());
    auto other = EditedMemory::create(shared, train, probe, ClassifierOptions{});
    QVERIFY2(other, other.status().toString().c_str());
    PruneOptions quickly;
    quickly.listSources = false;
    auto prune = planPrune(**planned, quickly);
    QVERIFY2(prune, prune.status().toString().c_str());
    QVERIFY(prune->planned && prune->sources.empty());
    auto listed = planPrune(**planned, PruneOptions{});
    QVERIFY2(listed, listed.status().toString().c_str());
    QVERIFY(!listed->sources.empty());
    // Held: another memory of the same instances previews it as the listed plan.
    auto held = (*other)->preview(*prune);
    QVERIFY2(held, held.status().toString().c_str());
    auto want = (*other)->preview(*listed);
    QVERIFY2(want, want.status().toString().c_str());
    QCOMPARE(held->slotsAfter, want->slotsAfter);
    QCOMPARE(held->instancesAfter, want->instancesAfter);
    QVERIFY(held->slotsAfter < held->slotsBefore);
    planned->reset();
    auto gone = (*other)->preview(*prune);
    QVERIFY(!gone);
    QVERIFY2(gone.status().message().find("plan it again") != std::string::npos,
             gone.status().toString().c_str());
    QVERIFY((*other)->edits().empty());
  }
};

QTEST_GUILESS_MAIN(TestKeptMemory)
#include "tst_kept_memory.moc"
