#include <QtTest>

#include "edit/incremental_classifier.h"
#include "memlens/edited_memory.h"
#include "memlens/experiment.h"
#include "memlens/memory_file.h"
#include "memlens/trace.h"
#include "small_experiment.h"

using namespace memlens;

namespace {

std::shared_ptr<const TokenisedCorpus> corpusOf(const std::shared_ptr<const Experiment>& e) {
  return {e, &e->corpus()};
}

std::unique_ptr<EditedMemory> editable(const std::shared_ptr<const Experiment>& e) {
  auto m = EditedMemory::create(corpusOf(e), e->train(), e->test(), e->record().options.classifier);
  if (!m) qFatal("%s", m.status().message().c_str());
  return std::move(*m);
}

// Deletes the stored vector with the most instances: the edit that changes the most.
MemoryEdit deleteBiggestVector(const Classifier& c) {
  const InstanceBase& base = c.memory();
  uint32_t best = 0, bestCount = 0;
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    uint32_t n = 0;
    for (const ClassCount& cc : base.distribution(id)) n += cc.count;
    if (n > bestCount) best = id, bestCount = n;
  }
  MemoryEdit edit;
  edit.kind = EditKind::kDeleteVector;
  const auto v = base.vector(best);
  edit.features.assign(v.begin(), v.end());
  return edit;
}

}  // namespace

class TestEditedExperiment : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // The edited experiment traces with the edited memory, on the original's test tokens.
  void swapsInTheEditedMemory() {
    QTemporaryDir dir;
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      const auto original = test::smallExperiment(dir, a);
      auto memory = editable(original);
      auto preview = memory->preview(deleteBiggestVector(original->classifier()));
      QVERIFY2(preview.isOk(), preview.status().message().c_str());
      QVERIFY(!preview->changed.empty());
      const auto changed = preview->changed;
      QVERIFY(memory->commit(std::move(*preview)).isOk());

      auto edited =
          Experiment::withMemory(original, memory->instances(), memory->sharedClassifier());
      QVERIFY2(edited.isOk(), edited.status().message().c_str());
      const Experiment& e = **edited;
      QCOMPARE(&e.classifier(), &memory->classifier());
      QCOMPARE(&e.corpus(), &original->corpus());
      QCOMPARE(e.test().sources, original->test().sources);
      QCOMPARE(e.test().features, original->test().features);
      QCOMPARE(e.validation().sources, original->validation().sources);
      QCOMPARE(e.train().size(), memory->instances().size());
      QCOMPARE(e.record().trainInstances, uint64_t{memory->instances().size()});
      QCOMPARE(e.record().storedVectors, memory->classifier().memory().vectorCount());
      QVERIFY(e.record().storedVectors < original->record().storedVectors);
      QCOMPARE(e.record().test.tokens, uint64_t{0});
      QCOMPARE(e.record().smoothingBeta, original->record().smoothingBeta);

      std::vector<uint64_t> counts(original->corpus().vocab.size(), 0);
      for (uint32_t c : memory->instances().classes) ++counts[c];
      QCOMPARE(e.trainClassCounts(), counts);

      // Every token the preview named now traces to its new prediction, the others to their old.
      size_t next = 0;
      for (size_t i = 0; i < e.test().size(); ++i) {
        const uint32_t traced = traceContext(e, e.test().instance(i)).prediction.classId;
        const uint32_t before = traceContext(*original, e.test().instance(i)).prediction.classId;
        if (next < changed.size() && changed[next].probeIndex == i) {
          QCOMPARE(before, changed[next].oldClassId);
          QCOMPARE(traced, changed[next].newClassId);
          ++next;
        } else {
          QCOMPARE(traced, before);
        }
      }
      QCOMPARE(next, changed.size());

      // The classifier it shares stays alive and unchanged through undo.
      const uint32_t slots = e.classifier().memory().vectorCount();
      QVERIFY(memory->undo().isOk());
      QCOMPARE(e.classifier().memory().vectorCount(), slots);
      QCOMPARE(memory->classifier().memory().vectorCount(), original->record().storedVectors);
    }
  }

  void refusesWhatDoesNotFit() {
    QTemporaryDir dir;
    const auto original = test::smallExperiment(dir, Algorithm::kIgTree);
    auto memory = editable(original);
    InstanceSet fewer = memory->instances().slice(0, 10);
    auto mismatch = Experiment::withMemory(original, fewer, memory->sharedClassifier());
    QVERIFY(!mismatch.isOk());
    QVERIFY(QString::fromStdString(mismatch.status().message())
                .contains(QStringLiteral("not trained")));
    QVERIFY(!Experiment::withMemory(original, InstanceSet{}, memory->sharedClassifier()).isOk());
    QVERIFY(
        !Experiment::withMemory(nullptr, memory->instances(), memory->sharedClassifier()).isOk());

    const auto vector = test::smallExperiment(dir, Algorithm::kVectorMemory);
    auto refused = Experiment::withMemory(vector, vector->train(), memory->sharedClassifier());
    QVERIFY(!refused.isOk());
    QVERIFY(QString::fromStdString(refused.status().message()).contains(QStringLiteral("IGTree")));
  }

  // An IGTree edited in place (kept weights: no retraining) saves the tree of its edited
  // instances, so the reopened memory answers as the edited one.
  void savesAnIgTreeEditedInPlace() {
    QTemporaryDir dir;
    const auto original = test::smallExperiment(dir, Algorithm::kIgTree);
    ClassifierOptions options = original->record().options.classifier;
    options.fixedWeights = original->classifier().weights();
    auto m = EditedMemory::create(corpusOf(original), original->train(), original->test(), options);
    QVERIFY2(m, m.status().message().c_str());
    auto preview = (*m)->preview(deleteBiggestVector((*m)->classifier()));
    QVERIFY(preview && (*m)->commit(std::move(*preview)).isOk());
    QVERIFY(dynamic_cast<const IncrementalClassifier*>(&(*m)->classifier()));
    auto edited = Experiment::withMemory(original, (*m)->instances(), (*m)->sharedClassifier());
    QVERIFY2(edited, edited.status().message().c_str());
    const std::string path = dir.filePath(QStringLiteral("edited.mlm")).toStdString();
    QVERIFY(saveMemory(**edited, path).isOk());
    auto reopened = openMemory(path);
    QVERIFY2(reopened, reopened.status().message().c_str());
    const auto want = *(*m)->classifier().predict(original->test(), PredictOptions{});
    const auto got = *(*reopened)->classifier().predict(original->test(), PredictOptions{});
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      QCOMPARE(got[i].classId, want[i].classId);
      QCOMPARE(got[i].matchDepth, want[i].matchDepth);
    }
  }
};

QTEST_GUILESS_MAIN(TestEditedExperiment)
#include "tst_edited_experiment.moc"
