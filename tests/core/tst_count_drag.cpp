#include <QtTest>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

#include "classify/classifier_factories.h"
#include "edit/incremental_classifier.h"
#include "edit/probe_queries.h"
#include "edit/pruned_answers.h"
#include "edit/pruned_walks.h"
#include "kept_kjv.h"
#include "memlens/edited_memory.h"
#include "memlens/pruning.h"
#include "memory/overlap_memory.h"

using namespace memlens;
using namespace memlens::test;

// The count-threshold drag: stops answered with the pruned stored vectors masked (IB1's walks
// kept across stops, IGTree's tree paths, TRIBL2's search below its walk), readied after edits,
// each stop answering as the engine retrained on what it keeps.
class TestCountDrag : public QObject {
  Q_OBJECT

 private Q_SLOTS:
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
};

QTEST_GUILESS_MAIN(TestCountDrag)
#include "tst_count_drag.moc"
