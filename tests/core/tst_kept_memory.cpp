#include <QtTest>

#include <algorithm>
#include <optional>
#include <tuple>

#include "classify/classifier_factories.h"
#include "edit/incremental_classifier.h"
#include "edit/probe_queries.h"
#include "edit/pruned_answers.h"
#include "edit/pruned_walks.h"
#include "memlens/edited_memory.h"
#include "memlens/instance_builder.h"
#include "memlens/pruning.h"
#include "memlens/tokenised_corpus.h"
#include "memory/overlap_memory.h"
#include "tree_answers.h"

using namespace memlens;
using memlens::test::sameTrace;

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

// The KJV's width-4 instances: every 80th a probe token, the rest the training set.
void splitKjv(const TokenisedCorpus& corpus, InstanceSet& train, InstanceSet& probe) {
  WindowOptions window;
  window.width = 4;
  const InstanceSet all = *buildInstances(corpus.tokens, corpus.paddingId, window);
  train.width = probe.width = all.width;
  for (size_t i = 0; i < all.size(); ++i) {
    InstanceSet& to = i % 80 == 7 ? probe : train;
    const auto f = all.instance(i);
    to.features.insert(to.features.end(), f.begin(), f.end());
    to.classes.push_back(all.classes[i]);
    to.sources.push_back(all.sources[i]);
  }
}

// The KJV split by splitKjv(), with options fixing the weights trained on its training set.
struct FixedKjv {
  std::shared_ptr<const TokenisedCorpus> corpus;
  InstanceSet train, probe;
  ClassifierOptions options;
};
std::optional<FixedKjv> fixedKjv() {
  auto loaded = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
  if (!loaded) return std::nullopt;
  FixedKjv kjv;
  splitKjv(**loaded, kjv.train, kjv.probe);
  kjv.options.fixedWeights = *EditedMemory::trainedWeights(kjv.train, kjv.options);
  kjv.corpus = std::move(*loaded);
  return kjv;
}

// A classifier under `options` trained on `train` but the instances whose sources `gone` lists
// (ascending).
std::unique_ptr<Classifier> trainedWithout(const InstanceSet& train,
                                           const ClassifierOptions& options,
                                           const std::vector<uint64_t>& gone) {
  InstanceSet left;
  left.width = train.width;
  for (size_t i = 0; i < train.size(); ++i) {
    if (std::ranges::binary_search(gone, train.sources[i])) continue;
    const auto f = train.instance(i);
    left.features.insert(left.features.end(), f.begin(), f.end());
    left.classes.push_back(train.classes[i]);
    left.sources.push_back(train.sources[i]);
  }
  auto fresh = std::move(*createClassifier(options));
  (void)fresh->train(left);
  return fresh;
}

// A job keeping the stages it reports.
struct StageLog {
  std::vector<std::string> stages;
  JobControl job{[this](double, const std::string& stage) { stages.push_back(stage); },
                 std::chrono::milliseconds(0)};
  bool saw(const std::string& stage) const { return std::ranges::count(stages, stage) > 0; }
};

// Whether each stored vector of `base` holds fewer than `minCount` instances.
std::vector<bool> rarerThan(const InstanceBase& base, uint64_t minCount) {
  std::vector<bool> rare(base.vectorCount());
  for (uint32_t v = 0; v < base.vectorCount(); ++v) {
    uint64_t held = 0;
    for (const ClassCount& c : base.distribution(v)) held += c.count;
    rare[v] = held < minCount;
  }
  return rare;
}

// The engines a count-threshold drag masks.
void engines() {
  QTest::addColumn<int>("algorithm");
  QTest::newRow("ib1") << static_cast<int>(Algorithm::kIb1);
  QTest::newRow("igtree") << static_cast<int>(Algorithm::kIgTree);
  QTest::newRow("tribl2") << static_cast<int>(Algorithm::kTribl2);
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

  // A drag's stops keep each probe query's walk (PrunedWalks): thresholds up (a walk resumed at
  // its frontier), down and repeated, k = 1 and 3 over the same walks, answer as a fresh walk.
  void keptWalksAnswerAsFreshOnes() {
    auto kjv = fixedKjv();
    QVERIFY2(kjv, "the KJV demo corpus is missing: build the demo_corpus target");
    auto& [corpus, train, probe, options] = *kjv;
    auto made = std::move(*createClassifier(options));
    QVERIFY(made->train(train).isOk());
    const std::shared_ptr<const Classifier> trained = std::move(made);
    const auto& search = dynamic_cast<const NeighbourSearch&>(overlapMemoryOf(*trained)->search());
    const InstanceBase& base = trained->memory();
    const std::shared_ptr<const ProbeQueries> queries = *ProbeQueries::of(probe, nullptr);
    // The classes in the trained memory's order, with what `removed` leaves of them.
    const auto orderOf = [&](const std::vector<bool>& removed) {
      ClassOrder order;
      order.totals.assign(base.classCount(), 0);
      for (uint32_t v = 0; v < base.vectorCount(); ++v)
        if (!removed[v])
          for (const ClassCount& c : base.distribution(v)) order.totals[c.classIndex] += c.count;
      for (uint32_t c = 0; c < base.classCount(); ++c) {
        const uint32_t id = base.classId(c);
        order.ids.push_back(id);
        if (order.indexOfId.size() <= id) order.indexOfId.resize(id + 1, InstanceBase::kNone);
        order.indexOfId[id] = c;
      }
      return order;
    };
    PrunedWalks walks(trained, search, queries);
    QVERIFY(walks.serves(trained, search, queries));
    QVERIFY(!walks.coveredBy(std::vector<bool>(base.vectorCount(), false)));
    for (const auto& [minCount, k] : std::initializer_list<std::pair<int, int>>{
             {3, 1}, {5, 1}, {2, 1}, {5, 1}, {9, 3}, {2, 3}}) {
      options.k = k;
      const std::vector<bool> removed = rarerThan(base, static_cast<uint64_t>(minCount));
      QVERIFY(walks.coveredBy(removed));
      const ClassOrder order = orderOf(removed);
      const auto fresh =
          prunedAnswers(search, base, removed, order, options, *queries, nullptr, nullptr);
      const auto kept =
          prunedAnswers(search, base, removed, order, options, *queries, &walks, nullptr);
      QVERIFY(fresh && kept);
      QVERIFY2(*kept == *fresh, std::to_string(minCount).c_str());
    }
    QVERIFY(walks.bytes() > 0);
    const std::shared_ptr<const ProbeQueries> others = *ProbeQueries::of(train, nullptr);
    QVERIFY(!walks.serves(trained, search, others));
  }

  // A drag over an edited memory: stops with thresholds up, down and repeated, a random prune
  // (its mask keeps vectors the walks leave out) between, a commit, then an undo and another
  // probe set (the walks or tree paths of another memory or probe set are not used): each stop
  // answers every probe token as the engine (IB1, IGTree, TRIBL2) trained on the instances it
  // keeps.
  void dragStopsAnswerAsRetrained_data() { engines(); }
  void dragStopsAnswerAsRetrained() {
    QFETCH(int, algorithm);
    auto kjv = fixedKjv();
    QVERIFY2(kjv, "the KJV demo corpus is missing: build the demo_corpus target");
    auto& [corpus, train, probe, options] = *kjv;
    options.algorithm = static_cast<Algorithm>(algorithm);
    auto created = EditedMemory::create(std::move(corpus), train, probe, options);
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;
    // The drag readied ahead of its first stop (as the app does when it prepares a memory): the
    // probe set walked (TRIBL2 keeps no walks: nothing to ready), nothing answered differently.
    const std::vector<uint32_t> unedited = m.probePredictions();
    StageLog log;
    QVERIFY(m.prepareCountDrag(&log.job).isOk());
    QCOMPARE(log.saw("readying the count-threshold drag"), options.algorithm != Algorithm::kTribl2);
    QCOMPARE(m.probePredictions(), unedited);
    QVERIFY(m.edits().empty());
    std::vector<uint64_t> committed;
    std::optional<EditedMemory::Preview> last;
    // A stop of `prune` (previewed into `last`): its answers are those of the engine trained
    // without what it and the committed edits remove.
    const auto stop = [&](const PruneOptions& prune, const QByteArray& row) {
      auto edit = planPrune(m, prune);
      QVERIFY2(edit, edit.status().toString().c_str());
      auto preview = m.preview(*edit);
      QVERIFY2(preview, preview.status().toString().c_str());
      std::vector<uint64_t> gone = committed;
      gone.insert(gone.end(), edit->sources.begin(), edit->sources.end());
      std::ranges::sort(gone);
      std::vector<uint32_t> after = m.probePredictions();
      for (const ChangedToken& t : preview->changed) after[t.probeIndex] = t.newClassId;
      const auto fresh = trainedWithout(train, options, gone);
      const std::vector<Prediction> want = *fresh->predict(m.probe(), PredictOptions{});
      for (size_t i = 0; i < want.size(); ++i)
        QVERIFY2(after[i] == want[i].classId, row + " probe token " + QByteArray::number(i));
      last = std::move(*preview);
    };
    PruneOptions count;
    for (uint32_t minCount : {3u, 5u, 2u, 5u}) {
      count.minCount = minCount;
      stop(count, "min-count " + QByteArray::number(minCount));
      if (QTest::currentTestFailed()) return;
    }
    PruneOptions random;
    random.strategy = PruneStrategy::kRandom;
    random.keepFraction = 0.3;
    stop(random, "random");
    if (QTest::currentTestFailed()) return;
    count.minCount = 4;
    stop(count, "min-count 4");
    if (QTest::currentTestFailed()) return;
    committed = last->edit.sources;
    QVERIFY(m.commit(std::move(*last)).isOk());
    count.minCount = 8;
    stop(count, "committed, min-count 8");
    if (QTest::currentTestFailed()) return;
    QVERIFY(m.undo().isOk());
    committed.clear();
    count.minCount = 6;
    stop(count, "undone, min-count 6");
    if (QTest::currentTestFailed()) return;
    InstanceSet reversed;
    reversed.width = probe.width;
    for (size_t i = probe.size(); i-- > 0;) {
      const auto f = probe.instance(i);
      reversed.features.insert(reversed.features.end(), f.begin(), f.end());
      reversed.classes.push_back(probe.classes[i]);
      reversed.sources.push_back(probe.sources[i]);
    }
    QVERIFY(m.setProbe(std::move(reversed)).isOk());
    count.minCount = 3;
    stop(count, "another probe set, min-count 3");
  }

  void dragAfterCommittedEditAnswersAsRetrained_data() {
    QTest::addColumn<int>("algorithm");
    QTest::addColumn<int>("edit");
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      const char* name = a == Algorithm::kIb1      ? "ib1"
                         : a == Algorithm::kIgTree ? "igtree"
                                                   : "tribl2";
      QTest::addRow("%s, one vector", name) << static_cast<int>(a) << 0;
      QTest::addRow("%s, a document-sized run", name) << static_cast<int>(a) << 1;
      QTest::addRow("%s, a relabel and an insertion", name) << static_cast<int>(a) << 2;
    }
  }

  // After a committed edit the drag is readied again (the memory rebuilt as the base its stops
  // mask) and its stops answer from the planned vectors, each as the engine (IB1, IGTree, TRIBL2)
  // retrained on the kept instances less the stop's; so after a committed stop (its memory is its
  // base: no readying), and after undoing back to the edited and the unedited memory.
  void dragAfterCommittedEditAnswersAsRetrained() {
    QFETCH(int, algorithm);
    QFETCH(int, edit);
    auto kjv = fixedKjv();
    QVERIFY2(kjv, "the KJV demo corpus is missing: build the demo_corpus target");
    kjv->options.algorithm = static_cast<Algorithm>(algorithm);
    const InstanceSet& train = kjv->train;
    const InstanceSet& probe = kjv->probe;
    const ClassifierOptions& options = kjv->options;
    auto created = EditedMemory::create(kjv->corpus, train, probe, options);
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;
    QVERIFY(m.prepareCountDrag().isOk());
    std::vector<MemoryEdit> edits(1);
    if (edit == 0) {
      // The first probe token's context the memory stores: probe answers change.
      for (size_t i = 0; i < probe.size() && edits[0].features.empty(); ++i)
        if (m.classifier().memory().find(probe.instance(i)) != InstanceBase::kNone)
          edits[0].features.assign(probe.instance(i).begin(), probe.instance(i).end());
    } else if (edit == 1) {
      // A hundredth of the instances from the middle, in place (fewer than an overlay holds).
      edits[0].kind = EditKind::kPrune;
      const auto from = static_cast<std::ptrdiff_t>(train.size() / 2);
      edits[0].sources.assign(train.sources.begin() + from,
                              train.sources.begin() + from + train.size() / 100);
      std::ranges::sort(edits[0].sources);
    } else {
      // A class's first rows then lie among relabelled and inserted ones.
      edits[0].kind = EditKind::kRelabelVector;
      edits[0].features.assign(train.instance(0).begin(), train.instance(0).end());
      edits[0].classId = train.classes[900];
      MemoryEdit& insert = edits.emplace_back();
      insert.kind = EditKind::kInsertInstance;
      insert.features = {train.classes[1], train.classes[2], train.classes[3], train.classes[4]};
      insert.classId = train.classes[7];
    }
    for (const MemoryEdit& e : edits) {
      auto committed = m.preview(e);
      QVERIFY2(committed, committed.status().toString().c_str());
      QVERIFY(!committed->buildsOnCommit);
      QVERIFY(m.commit(std::move(*committed)).isOk());
    }
    const std::vector<uint32_t> edited = m.probePredictions();
    StageLog log;
    QVERIFY(m.prepareCountDrag(&log.job).isOk());
    QCOMPARE(log.saw("readying the count-threshold drag"), options.algorithm != Algorithm::kTribl2);
    QCOMPARE(m.probePredictions(), edited);
    QCOMPARE(m.edits().size(), edits.size());
    log.stages.clear();
    QVERIFY(m.prepareCountDrag(&log.job).isOk());  // readied: nothing more to do
    QVERIFY(log.stages.empty());
    std::optional<EditedMemory::Preview> last;
    // A stop at `minCount`, previewed into `last`: answered from its planned vectors, as the engine
    // trained on the memory's instances but the stop's.
    const auto stop = [&](uint32_t minCount, const QByteArray& row) {
      PruneOptions count;
      count.minCount = minCount;
      auto plan = planPrune(m, count);
      QVERIFY2(plan, plan.status().toString().c_str());
      log.stages.clear();
      auto preview = m.preview(*plan, &log.job);
      QVERIFY2(preview, preview.status().toString().c_str());
      QVERIFY2(log.saw("answering from the planned prune"), row);
      QVERIFY(preview->buildsOnCommit);
      std::vector<uint32_t> after = m.probePredictions();
      for (const ChangedToken& t : preview->changed) after[t.probeIndex] = t.newClassId;
      const auto fresh = trainedWithout(m.instances(), options, plan->sources);
      const std::vector<Prediction> want = *fresh->predict(m.probe(), PredictOptions{});
      for (size_t i = 0; i < want.size(); ++i)
        QVERIFY2(after[i] == want[i].classId, row + " probe token " + QByteArray::number(i));
      last = std::move(*preview);
    };
    for (uint32_t minCount : {3u, 5u, 2u, 5u}) {
      stop(minCount, "edited, min-count " + QByteArray::number(minCount));
      if (QTest::currentTestFailed()) return;
    }
    // Committed at min-count 2, the stop leaves more stored vectors than a min-count 5 stop
    // removes in place.
    stop(2, "edited, min-count 2 again");
    if (QTest::currentTestFailed()) return;
    QVERIFY(m.commit(std::move(*last)).isOk());
    stop(5, "a stop committed, min-count 5");
    if (QTest::currentTestFailed()) return;
    QVERIFY(m.undo().isOk());
    QCOMPARE(m.probePredictions(), edited);
    stop(2, "the stop undone, min-count 2");
    if (QTest::currentTestFailed()) return;
    for (size_t i = 0; i < edits.size(); ++i) QVERIFY(m.undo().isOk());
    QVERIFY(m.edits().empty());
    stop(5, "unedited, min-count 5");
  }

  // Cancelled in any of its stages (the app cancels it for the next edit), readying the drag
  // after a committed edit leaves the memory answering as before; a stop then answers as the engine
  // retrained, and readying again completes.
  void cancelledReadyingChangesNoAnswer_data() { engines(); }
  void cancelledReadyingChangesNoAnswer() {
    QFETCH(int, algorithm);
    auto kjv = fixedKjv();
    QVERIFY2(kjv, "the KJV demo corpus is missing: build the demo_corpus target");
    kjv->options.algorithm = static_cast<Algorithm>(algorithm);
    auto created = EditedMemory::create(kjv->corpus, kjv->train, kjv->probe, kjv->options);
    QVERIFY2(created, created.status().toString().c_str());
    EditedMemory& m = **created;
    MemoryEdit deletion;  // the first probe token's context the memory stores
    for (size_t i = 0; i < kjv->probe.size() && deletion.features.empty(); ++i)
      if (m.classifier().memory().find(kjv->probe.instance(i)) != InstanceBase::kNone)
        deletion.features.assign(kjv->probe.instance(i).begin(), kjv->probe.instance(i).end());
    auto deleted = m.preview(deletion);
    QVERIFY2(deleted, deleted.status().toString().c_str());
    QVERIFY(m.commit(std::move(*deleted)).isOk());
    const std::vector<uint32_t> edited = m.probePredictions();
    const std::vector<uint64_t> sources = m.instances().sources;
    const bool walks = kjv->options.algorithm != Algorithm::kTribl2;  // TRIBL2 keeps none
    for (const char* stage : {"keeping stored vectors", "readying the count-threshold drag"}) {
      if (!walks && stage != std::string("keeping stored vectors")) continue;
      JobControl job(
          [&](double, const std::string& at) {
            if (at == stage) job.cancel();
          },
          std::chrono::milliseconds(0));
      QVERIFY2(m.prepareCountDrag(&job).isCancelled(), stage);
      QCOMPARE(m.probePredictions(), edited);
      QCOMPARE(m.instances().sources, sources);
      QCOMPARE(m.edits().size(), size_t{1});
      const std::vector<Prediction> now = *m.classifier().predict(m.probe(), PredictOptions{});
      for (size_t i = 0; i < now.size(); ++i) QVERIFY2(now[i].classId == edited[i], stage);
    }
    StageLog log;
    QVERIFY(m.prepareCountDrag(&log.job).isOk());
    QCOMPARE(log.saw("readying the count-threshold drag"), walks);
    QCOMPARE(m.probePredictions(), edited);
    PruneOptions count;
    count.minCount = 3;
    auto plan = planPrune(m, count);
    QVERIFY2(plan, plan.status().toString().c_str());
    auto preview = m.preview(*plan);
    QVERIFY2(preview, preview.status().toString().c_str());
    std::vector<uint32_t> after = edited;
    for (const ChangedToken& t : preview->changed) after[t.probeIndex] = t.newClassId;
    const auto fresh = trainedWithout(m.instances(), kjv->options, plan->sources);
    const std::vector<Prediction> want = *fresh->predict(m.probe(), PredictOptions{});
    for (size_t i = 0; i < want.size(); ++i) QCOMPARE(after[i], want[i].classId);
  }

  void countDragReadiedOnlyWhenMasked_data() {
    QTest::addColumn<int>("weighting");
    QTest::newRow("recomputed weights") << static_cast<int>(DistanceWeighting::kZero);
    QTest::newRow("distance-weighted vote")
        << static_cast<int>(DistanceWeighting::kInverseDistance);
  }

  // Where a stop retrains (recomputed weights; a distance-weighted vote, which no engine edits in
  // place) there is no drag to ready, and nothing is walked.
  void countDragReadiedOnlyWhenMasked() {
    QFETCH(int, weighting);
    auto kjv = fixedKjv();
    QVERIFY2(kjv, "the KJV demo corpus is missing: build the demo_corpus target");
    auto& [corpus, train, probe, options] = *kjv;
    options.fixedWeights.clear();
    options.distanceWeighting = static_cast<DistanceWeighting>(weighting);
    auto created = EditedMemory::create(std::move(corpus), train, probe, options);
    QVERIFY2(created, created.status().toString().c_str());
    StageLog log;
    QVERIFY((*created)->prepareCountDrag(&log.job).isOk());
    QVERIFY(log.stages.empty());
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
