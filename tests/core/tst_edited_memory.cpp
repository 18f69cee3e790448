#include <QtTest>

#include <random>

#include "edit_fixture.h"
#include "memlens/edited_memory.h"

using namespace memlens;

namespace {

// The test's own model of an edited memory: every instance with its label and whether it is
// deleted, edited by hand, to check EditedMemory against.
struct HandMemory {
  InstanceSet all;
  std::vector<bool> live;

  InstanceSet kept() const {
    InstanceSet out;
    out.width = all.width;
    for (size_t i = 0; i < all.size(); ++i) {
      if (!live[i]) continue;
      const auto f = all.instance(i);
      out.features.insert(out.features.end(), f.begin(), f.end());
      out.classes.push_back(all.classes[i]);
      out.sources.push_back(all.sources[i]);
    }
    return out;
  }
  bool sameVector(size_t i, size_t j) const {
    return std::ranges::equal(all.instance(i), all.instance(j));
  }
};

std::vector<uint32_t> freshPredictions(const InstanceSet& train, const InstanceSet& probe,
                                       const ClassifierOptions& options) {
  auto c = std::move(*createClassifier(options));
  if (!c->train(train).isOk()) return {};
  std::vector<uint32_t> out;
  for (const Prediction& p : *c->predict(probe)) out.push_back(p.classId);
  return out;
}

std::unique_ptr<test::EditSetup> setup(int lines = 60) { return test::makeEditSetup(lines); }

ClassifierOptions optionsFor(Algorithm a) {
  ClassifierOptions o;
  o.algorithm = a;
  return o;
}

}  // namespace

class TestEditedMemory : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void payloadsRoundTrip() {
    MemoryEdit prune{EditKind::kPrune, {}, 0, 0, 0, {3, 4, 90, 1ull << 40}, "random keep=0.5"};
    MemoryEdit insert{EditKind::kInsertInstance, {5, 0, 7}, 0, 0, 12, {}, ""};
    MemoryEdit relabel{EditKind::kRelabelInstance, {}, 1234567, 0, 9, {}, ""};
    MemoryEdit doc{EditKind::kRemoveDocument, {}, 0, 2, 0, {}, ""};
    MemoryEdit merge{EditKind::kMerge, {}, 0, 0, 0, {3, 8, 1ull << 41}, "merge k=1", {90, 2, 3}};
    MemoryEdit prefix{EditKind::kKeepPrefix, {}, 7654321, 0, 0, {}, "prefix instances=12"};
    for (const MemoryEdit& e : {prune, insert, relabel, doc, merge, prefix}) {
      auto back = MemoryEdit::parse(e.kindName(), e.payload());
      QVERIFY2(back.isOk(), back.status().message().c_str());
      QCOMPARE(back->kind, e.kind);
      QCOMPARE(back->features, e.features);
      QCOMPARE(back->source, e.source);
      QCOMPARE(back->document, e.document);
      QCOMPARE(back->classId, e.classId);
      QCOMPARE(back->sources, e.sources);
      QCOMPARE(back->note, e.note);
      QCOMPARE(back->targets, e.targets);
    }
    for (auto [kind, payload] : std::vector<std::pair<const char*, const char*>>{
             {"explode", ""},
             {"delete-vector", ""},
             {"delete-vector", "features=1,,2\n"},
             {"delete-vector", "features=1,2,\n"},
             {"delete-instance", "source=-3\n"},
             {"delete-instance", "source=3\nclass=4\n"},
             {"prune", "sources=5,0\n"},
             {"prune", "sources=18446744073709551615,1\n"},
             {"relabel-instance", "source=3\n"},
             {"merge", "sources=3,5\n"},
             {"merge", "sources=3,5\ntargets=1\n"},
             {"prune", "sources=3\ntargets=1\n"}}) {
      QVERIFY2(!MemoryEdit::parse(kind, payload).isOk(), payload);
    }
  }

  // Random deletes and relabels of instances and stored vectors, each previewed and committed:
  // the probe tokens that change are exactly the previewed ones, and the memory predicts as a
  // classifier trained from scratch on the test's own hand-edited instances.
  void previewIsExactOnRandomEdits() {
    auto s = setup();
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      const ClassifierOptions options = optionsFor(a);
      auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
      HandMemory hand{s->train, std::vector<bool>(s->train.size(), true)};
      std::mt19937 rng(11);
      size_t changedTotal = 0;
      for (int step = 0; step < 50; ++step) {
        size_t pick;
        do pick = rng() % hand.all.size();
        while (!hand.live[pick]);
        MemoryEdit e;
        const int op = static_cast<int>(rng() % 4);
        const uint32_t newClass = s->train.classes[rng() % s->train.size()];
        const auto f = hand.all.instance(pick);
        e.kind = std::array{EditKind::kDeleteInstance, EditKind::kRelabelInstance,
                            EditKind::kDeleteVector, EditKind::kRelabelVector}[op];
        e.source = hand.all.sources[pick];
        e.features.assign(f.begin(), f.end());
        e.classId = newClass;
        if (op < 2) e.features.clear();
        for (size_t i = 0; i < hand.all.size(); ++i) {
          if (!hand.live[i] || (op < 2 ? i != pick : !hand.sameVector(i, pick))) continue;
          if (op % 2 == 0)
            hand.live[i] = false;
          else
            hand.all.classes[i] = newClass;
        }
        const std::vector<uint32_t> before = m->probePredictions();
        auto preview = m->preview(e);
        QVERIFY2(preview.isOk(), preview.status().message().c_str());
        const auto changed = preview->changed;
        QVERIFY(m->commit(std::move(*preview)).isOk());

        const std::vector<uint32_t> after = freshPredictions(hand.kept(), s->probe, options);
        QCOMPARE(m->probePredictions(), after);
        std::vector<size_t> expected, previewed;
        for (size_t i = 0; i < before.size(); ++i)
          if (before[i] != after[i]) expected.push_back(i);
        for (const ChangedToken& c : changed) {
          previewed.push_back(c.probeIndex);
          QCOMPARE(c.oldClassId, before[c.probeIndex]);
          QCOMPARE(c.newClassId, after[c.probeIndex]);
          QCOMPARE(c.source, s->probe.sources[c.probeIndex]);
        }
        QCOMPARE(previewed, expected);
        changedTotal += changed.size();
      }
      QVERIFY(changedTotal > 0);  // the edits did something to the probe set
    }
  }

  // Under recomputed weights IB1 and TRIBL2 retrain an edit that changes more instances than the
  // overlay may hold (a document of over 65,536 here), IGTree one past an eighth of its paths,
  // and take the counts from the retrained memory; the next one-vector edit is then made in
  // place, weighed by those counts, and answers as a memory retrained from the edited instances,
  // with the same weights.
  void largeRetrainsKeepTheirCounts() {
    auto s = setup(24000);
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kTribl2, Algorithm::kIgTree}) {
      const ClassifierOptions options = optionsFor(a);
      auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
      MemoryEdit remove;
      remove.kind = EditKind::kRemoveDocument;
      remove.document = 0;
      auto removed = m->preview(remove);
      QVERIFY2(removed.isOk(), removed.status().message().c_str());
      QVERIFY(m->commit(std::move(*removed)).isOk());
      QVERIFY(m->retrained());
      QVERIFY2(s->train.size() - m->instances().size() > 65536,
               std::to_string(s->train.size() - m->instances().size()).c_str());

      MemoryEdit one;
      one.kind = EditKind::kDeleteVector;
      const auto f = m->instances().instance(m->instances().size() / 2);
      one.features.assign(f.begin(), f.end());
      auto deleted = m->preview(one);
      QVERIFY2(deleted.isOk(), deleted.status().message().c_str());
      QVERIFY(m->commit(std::move(*deleted)).isOk());
      QVERIFY(!m->retrained());
      auto fresh = std::move(*createClassifier(options));
      QVERIFY(fresh->train(m->instances()).isOk());
      QCOMPARE(m->classifier().weights(), fresh->weights());
      std::vector<uint32_t> want;
      for (const Prediction& p : *fresh->predict(s->probe)) want.push_back(p.classId);
      QCOMPARE(m->probePredictions(), want);
    }
  }

  // The state is a pure function of corpus + options + edits: a memory created from the edit
  // list predicts exactly as the one the edits were committed to, distributions included.
  void rebuildFromEditsIsIdentical() {
    auto s = setup();
    const ClassifierOptions options = optionsFor(Algorithm::kIb1);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const auto f0 = s->train.instance(10);
    const std::vector<MemoryEdit> edits = {
        {EditKind::kDeleteVector, {f0.begin(), f0.end()}, 0, 0, 0, {}, ""},
        {EditKind::kRelabelInstance, {}, s->train.sources[40], 0, s->train.classes[3], {}, ""},
        {EditKind::kInsertInstance,
         {s->train.classes[1], s->train.classes[2], s->train.classes[3]},
         0,
         0,
         s->train.classes[4],
         {},
         ""},
        {EditKind::kRemoveDocument, {}, 0, 1, 0, {}, ""},
        {EditKind::kRestoreVector, {f0.begin(), f0.end()}, 0, 0, 0, {}, ""},
        {EditKind::kPrune, {}, 0, 0, 0, {s->train.sources[50], s->train.sources[51]}, "by hand"}};
    for (const MemoryEdit& e : edits) {
      auto p = m->preview(e);
      QVERIFY2(p.isOk(), p.status().message().c_str());
      QVERIFY(m->commit(std::move(*p)).isOk());
    }
    std::vector<MemoryEdit> replay;
    for (const MemoryEdit& e : m->edits())
      replay.push_back(*MemoryEdit::parse(e.kindName(), e.payload()));
    auto rebuilt = EditedMemory::create(s->corpus, s->train, s->probe, options, replay);
    QVERIFY2(rebuilt.isOk(), rebuilt.status().message().c_str());
    const auto a = *m->classifier().predict(s->probe);
    const auto b = *(*rebuilt)->classifier().predict(s->probe);
    QCOMPARE(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      QCOMPARE(a[i].classId, b[i].classId);
      QCOMPARE(a[i].distribution.size(), b[i].distribution.size());
      for (size_t j = 0; j < a[i].distribution.size(); ++j) {
        QCOMPARE(a[i].distribution[j].classId, b[i].distribution[j].classId);
        QCOMPARE(a[i].distribution[j].weight, b[i].distribution[j].weight);
      }
    }
    // The inserted instance is in the memory, under its own source.
    QCOMPARE(m->instances().sources.back(), EditedMemory::kInsertedSource);
  }

  // Given the memory already trained, create() adopts it: the same classifier object until an
  // edit applies, the same predictions after edits and undo as a memory built by training, and
  // undoing every edit returns to that very object.
  void startsFromATrainedMemory() {
    auto s = setup();
    for (const Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      const ClassifierOptions options = optionsFor(a);
      std::shared_ptr<Classifier> trained = std::move(*createClassifier(options));
      QVERIFY(trained->train(s->train).isOk());
      auto m =
          std::move(*EditedMemory::create(s->corpus, std::make_shared<const InstanceSet>(s->train),
                                          s->probe, options, trained, {}, {}));
      auto reference = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
      QCOMPARE(&m->classifier(), trained.get());
      QCOMPARE(m->probePredictions(), reference->probePredictions());
      const MemoryEdit edit{EditKind::kRemoveDocument, {}, 0, 0, 0, {}, ""};
      QVERIFY(m->commit(std::move(*m->preview(edit))).isOk());
      QVERIFY(reference->commit(std::move(*reference->preview(edit))).isOk());
      QVERIFY(&m->classifier() != trained.get());
      QCOMPARE(m->probePredictions(), reference->probePredictions());
      QVERIFY(m->undo().isOk());
      QCOMPARE(&m->classifier(), trained.get());
    }
    // A memory trained on other instances is refused.
    std::shared_ptr<Classifier> other = std::move(*createClassifier({}));
    QVERIFY(other->train(s->probe).isOk());
    QVERIFY(!EditedMemory::create(s->corpus, std::make_shared<const InstanceSet>(s->train),
                                  s->probe, {}, other, {}, {})
                 .isOk());
  }

  // After removing a document no stored vector holds a source from it; the others keep all of
  // theirs.
  // A merge re-features instances: the moved ones count under their target's vector, nothing is
  // lost, and a rebuild from the journal text gives the same memory.
  void mergeMovesInstancesOntoTheTargetVector() {
    auto s = setup();
    const ClassifierOptions options = optionsFor(Algorithm::kIb1);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const MemoryEdit merge{EditKind::kMerge,
                           {},
                           0,
                           0,
                           0,
                           {s->train.sources[4], s->train.sources[9]},
                           "by hand",
                           {s->train.sources[20], s->train.sources[20]}};
    HandMemory hand{s->train, std::vector<bool>(s->train.size(), true)};
    for (size_t i : {4, 9})
      std::ranges::copy(s->train.instance(20), hand.all.features.begin() + i * 3);
    auto p = m->preview(merge);
    QVERIFY2(p.isOk(), p.status().message().c_str());
    QCOMPARE(p->instancesAfter, p->instancesBefore);
    QVERIFY(m->commit(std::move(*p)).isOk());
    QCOMPARE(m->probePredictions(), freshPredictions(hand.kept(), s->probe, options));
    const InstanceBase& base = m->classifier().memory();
    const auto sources = base.sources(base.find(s->train.instance(20)));
    QVERIFY(std::ranges::count(sources, s->train.sources[4]) == 1);
    QVERIFY(std::ranges::count(sources, s->train.sources[9]) == 1);
    auto replay = MemoryEdit::parse(merge.kindName(), merge.payload());
    auto rebuilt = EditedMemory::create(s->corpus, s->train, s->probe, options, {*replay});
    QCOMPARE((*rebuilt)->probePredictions(), m->probePredictions());
    QCOMPARE((*rebuilt)->instances().features, m->instances().features);
  }

  // An edit undone past the memories kept (kKeptMemories) is taken back from its journal: a
  // merge's moved instances get their own features back from the vectors its changes name, each
  // change its own (consecutive changes of one vector share one).
  void mergeUndoneFromTheJournalRestoresFeatures() {
    auto s = setup();
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree}) {
      ClassifierOptions options = optionsFor(a);
      options.fixedWeights = *EditedMemory::trainedWeights(s->train, options);
      auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
      const auto original = m->probePredictions();
      const std::vector<uint64_t> moved{s->train.sources[4], s->train.sources[9],
                                        s->train.sources[30]};
      const std::vector<uint64_t> onto{s->train.sources[20], s->train.sources[21],
                                       s->train.sources[20]};
      HandMemory hand{s->train, std::vector<bool>(s->train.size(), true)};
      for (auto [i, t] : {std::pair{4, 20}, {9, 21}, {30, 20}}) {
        QVERIFY(!hand.sameVector(i, t));
        std::ranges::copy(s->train.instance(t), hand.all.features.begin() + i * 3);
      }
      const auto differ = [&](size_t i, size_t j) {
        return !std::ranges::equal(s->train.instance(i), s->train.instance(j));
      };
      QVERIFY(differ(4, 9) && differ(4, 30) && differ(9, 30));
      const auto commit = [&](const MemoryEdit& edit) {
        auto p = m->preview(edit);
        QVERIFY2(p.isOk(), p.status().message().c_str());
        QVERIFY(m->commit(std::move(*p)).isOk());
      };
      commit({EditKind::kMerge, {}, 0, 0, 0, moved, "", onto});
      QCOMPARE(m->instances().features, hand.all.features);
      const auto merged = m->probePredictions();
      QCOMPARE(merged, freshPredictions(hand.kept(), s->probe, options));
      for (size_t i = 100; i < 100 + 3; ++i)  // the merge's memory no longer kept
        commit({EditKind::kDeleteInstance, {}, s->train.sources[i], 0, 0, {}, ""});
      for (int u = 0; u < 3; ++u) QVERIFY(m->undo().isOk());
      QCOMPARE(m->probePredictions(), merged);
      QVERIFY(m->undo().isOk());
      QCOMPARE(m->instances().features, s->train.features);
      QCOMPARE(m->probePredictions(), original);
      QVERIFY(m->redo().isOk());
      QCOMPARE(m->instances().features, hand.all.features);
      QCOMPARE(m->probePredictions(), merged);
    }
  }

  // Fixed weights (the unedited memory's) stay through an edit and the memory predicts as a
  // fresh classifier with those weights on the edited instances; recomputing changes them.
  void fixedWeightsSurviveEdits() {
    auto s = setup();
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      ClassifierOptions options = optionsFor(a);
      auto trained = std::move(*createClassifier(options));
      QVERIFY(trained->train(s->train).isOk());
      auto weights = EditedMemory::trainedWeights(s->train, options);
      QCOMPARE(*weights, trained->weights());
      ClassifierOptions fixed = options;
      fixed.fixedWeights = *weights;
      auto kept = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, fixed));
      auto recomputed = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
      const MemoryEdit surgery{EditKind::kRemoveDocument, {}, 0, 1, 0, {}, ""};
      QVERIFY(kept->commit(std::move(*kept->preview(surgery))).isOk());
      QVERIFY(recomputed->commit(std::move(*recomputed->preview(surgery))).isOk());
      QCOMPARE(kept->classifier().weights(), *weights);
      QVERIFY(recomputed->classifier().weights() != *weights);
      QCOMPARE(kept->probePredictions(), freshPredictions(kept->instances(), s->probe, fixed));
    }
    ClassifierOptions wrong;
    wrong.fixedWeights = {1.0, 2.0};
    auto c = std::move(*createClassifier(wrong));
    QVERIFY(c->train(s->train).message().find("2 given, the memory has 3") != std::string::npos);
    wrong.fixedWeights = {1.0, -1.0, 0.5};
    QVERIFY(!createClassifier(wrong).isOk());
  }

  void documentSurgeryLeavesNoTrace() {
    auto s = setup();
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, {}));
    std::vector<size_t> perDocument(3, 0);
    for (uint64_t src : s->train.sources) ++perDocument[s->corpus->tokens.position(src).document];
    QVERIFY(perDocument[1] > 0);
    auto p = m->preview({EditKind::kRemoveDocument, {}, 0, 1, 0, {}, ""});
    QVERIFY(p.isOk());
    QCOMPARE(p->instancesAfter, uint64_t{perDocument[0] + perDocument[2]});
    QVERIFY(m->commit(std::move(*p)).isOk());
    const InstanceBase& memory = m->classifier().memory();
    std::vector<size_t> seen(3, 0);
    for (uint32_t id = 0; id < memory.vectorCount(); ++id)
      for (uint64_t src : memory.sources(id)) ++seen[s->corpus->tokens.position(src).document];
    QCOMPARE(seen, (std::vector<size_t>{perDocument[0], 0, perDocument[2]}));
    // Surgery twice is an error; restoring brings every instance back.
    QVERIFY(!m->preview({EditKind::kRemoveDocument, {}, 0, 1, 0, {}, ""}).isOk());
    auto r = m->preview({EditKind::kRestoreDocument, {}, 0, 1, 0, {}, ""});
    QCOMPARE(r->instancesAfter, uint64_t{s->train.size()});
  }

  void undoRedoRoundTrip() {
    auto s = setup();
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, {}));
    const auto original = m->probePredictions();
    QVERIFY(!m->undo().isOk());
    QVERIFY(!m->redo().isOk());
    auto p = m->preview({EditKind::kRemoveDocument, {}, 0, 0, 0, {}, ""});
    QVERIFY(!p->changed.empty());
    QVERIFY(m->commit(std::move(*p)).isOk());
    const auto edited = m->probePredictions();
    QVERIFY(edited != original);
    QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), original);
    QCOMPARE(m->instances().size(), s->train.size());
    QVERIFY(m->redo().isOk());
    QCOMPARE(m->probePredictions(), edited);
    QVERIFY(m->undo().isOk());
    // A new edit ends the redo history.
    auto q = m->preview({EditKind::kDeleteInstance, {}, s->train.sources[0], 0, 0, {}, ""});
    QVERIFY(m->commit(std::move(*q)).isOk());
    QVERIFY(m->undone().empty());
    QVERIFY(!m->redo().isOk());
  }

  // The user's own sentences as the probe set: the text of the probe document gives the very
  // instances the corpus pipeline made of it, and a memory switched to them predicts them as a
  // fresh memory would, edits included.
  void ownSentencesAsProbe() {
    auto s = setup();
    QFile file(s->dir.filePath(QStringLiteral("doc3.txt")));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const std::string text = file.readAll().toStdString();
    auto typed = s->corpus->instancesOf(text, 3);
    QVERIFY(typed.isOk());
    QCOMPARE(typed->features, s->probe.features);
    QCOMPARE(typed->classes, s->probe.classes);
    QCOMPARE(typed->sources.front(), uint64_t{1});
    QCOMPARE(typed->sources.back(), uint64_t{60});  // lines
    auto unknown = s->corpus->instancesOf("w1 nowhere w2\n\nw3", 2);
    QVERIFY(unknown.isOk());
    QCOMPARE(unknown->classes,
             (std::vector<uint32_t>{s->corpus->vocab.lookup("w1"), Vocabulary::kUnknown,
                                    s->corpus->vocab.lookup("w2"), s->corpus->vocab.lookup("w3")}));
    QCOMPARE(unknown->sources, (std::vector<uint64_t>{1, 1, 1, 3}));
    QCOMPARE(unknown->instance(3)[0], s->corpus->paddingId);  // a line starts a block
    QVERIFY(!s->corpus->instancesOf("w1", 0).isOk());

    const ClassifierOptions options = optionsFor(Algorithm::kIb1);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe.slice(0, 40), options));
    auto removal = m->preview({EditKind::kRemoveDocument, {}, 0, 0, 0, {}, ""});
    QVERIFY(m->commit(std::move(*removal)).isOk());
    auto stale = m->preview({EditKind::kDeleteInstance, {}, s->train.sources.back(), 0, 0, {}, ""});
    QVERIFY(stale.isOk());
    auto sentences = *s->corpus->instancesOf(text.substr(0, text.size() / 2), 3);
    QVERIFY(m->setProbe(sentences).isOk());
    QCOMPARE(m->probe().classes, sentences.classes);
    QCOMPARE(m->probePredictions(), freshPredictions(m->instances(), sentences, options));
    QVERIFY(!m->commit(std::move(*stale)).isOk());  // its changed tokens index the old probe
    QVERIFY(m->undo().isOk());
    QCOMPARE(m->probePredictions(), freshPredictions(s->train, sentences, options));
    QVERIFY(!m->setProbe(*s->corpus->instancesOf(text, 2)).isOk());  // another width
    QCOMPARE(m->probe().size(), sentences.size());
  }

  void badEditsAreClearErrors() {
    auto s = setup(20);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, {}));
    const uint32_t vocab = s->corpus->vocab.size();
    const std::pair<MemoryEdit, const char*> bad[] = {
        {{EditKind::kDeleteVector, {vocab, vocab, vocab}, 0, 0, 0, {}, ""}, "no stored vector"},
        {{EditKind::kDeleteVector, {1, 2}, 0, 0, 0, {}, ""}, "has 3 features"},
        {{EditKind::kDeleteInstance, {}, s->probe.sources[0], 0, 0, {}, ""},
         "no training instance"},
        {{EditKind::kRestoreInstance, {}, s->train.sources[0], 0, 0, {}, ""}, "is not deleted"},
        {{EditKind::kRelabelInstance, {}, s->train.sources[0], 0, vocab, {}, ""},
         "not in the vocabulary"},
        {{EditKind::kInsertInstance, {0, 1, vocab + 5}, 0, 0, 1, {}, ""}, "not in the vocabulary"},
        {{EditKind::kRemoveDocument, {}, 0, 9, 0, {}, ""}, "no document 9"},
        {{EditKind::kPrune, {}, 0, 0, 0, {s->train.sources[0], s->train.sources[0]}, ""},
         "already deleted"},
        {{EditKind::kPrune, {}, 0, 0, 0, s->train.sources, ""}, "empty"},
        {{EditKind::kMerge, {}, 0, 0, 0, {s->train.sources[0]}, "", {s->probe.sources[0]}},
         "no training instance"},
        {{EditKind::kMerge, {}, 0, 0, 0, {s->train.sources[0]}, "", {}}, "one target instance"},
    };
    for (const auto& [edit, message] : bad) {
      auto p = m->preview(edit);
      QVERIFY(!p.isOk());
      QVERIFY2(p.status().message().find(message) != std::string::npos,
               p.status().message().c_str());
    }
    // A preview made before another commit is stale.
    auto p1 = m->preview({EditKind::kDeleteInstance, {}, s->train.sources[0], 0, 0, {}, ""});
    auto p2 = m->preview({EditKind::kDeleteInstance, {}, s->train.sources[1], 0, 0, {}, ""});
    QVERIFY(m->commit(std::move(*p1)).isOk());
    QVERIFY(!m->commit(std::move(*p2)).isOk());
    QCOMPARE(m->edits().size(), size_t{1});
  }

  void cancelledPreviewChangesNothing() {
    auto s = setup();
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, {}));
    JobControl job;
    job.cancel();
    auto p = m->preview({EditKind::kRemoveDocument, {}, 0, 0, 0, {}, ""}, &job);
    QVERIFY(p.status().isCancelled());
    QVERIFY(m->undo().code() == Status::Code::kInvalidArgument);
    QCOMPARE(m->instances().size(), s->train.size());
    QVERIFY(EditedMemory::create(s->corpus, s->train, s->probe, {}, {}, {}, &job)
                .status()
                .isCancelled());
  }
};

QTEST_APPLESS_MAIN(TestEditedMemory)
#include "tst_edited_memory.moc"
