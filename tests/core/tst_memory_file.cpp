// Memory files: a saved experiment opens and answers, explains and evaluates exactly as the one
// that was saved; provenance follows the corpus files; saving is atomic and cancellable. Damaged
// files are tst_memory_file_damage's.
#include <QtTest>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <random>

#include "classify/classifier_factories.h"
#include "memlens/memory_file.h"
#include "memlens/token_stream.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"
#include "memory_file_bytes.h"
#include "small_experiment.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::kjvSlice;
using memlens::test::readFile;
using memlens::test::train;
using memlens::test::verifyErrorOf;
using memlens::test::writeFile;
using Layout = MemoryFileLayout;

Q_DECLARE_METATYPE(memlens::Algorithm)

// QCOMPARE compares doubles fuzzily; a reopened memory must give the very same bits.
#define COMPARE_EXACTLY(actual, expected)                                        \
  QVERIFY2((actual) == (expected), qPrintable(QString::number(actual, 'g', 17) + \
                                              " != " + QString::number(expected, 'g', 17)))

namespace {

std::shared_ptr<const Experiment> open(const std::string& path) {
  auto e = openMemory(path);
  if (!e) qFatal("%s", e.status().message().c_str());
  return *e;
}

// Context windows to ask: test instances, and random ids (with unknown ones) for contexts
// the memory never saw.
std::vector<std::vector<uint32_t>> queries(const Experiment& e, size_t n) {
  std::mt19937_64 random(7);
  const InstanceSet& test = e.test();
  const uint32_t vocab = e.corpus().vocab.size();
  std::vector<std::vector<uint32_t>> out;
  for (size_t i = 0; i < n; ++i) {
    const auto row = test.instance(random() % test.size());
    std::vector<uint32_t> q(row.begin(), row.end());
    if (i % 3 == 0) q[random() % q.size()] = static_cast<uint32_t>(random() % (vocab + 2));
    out.push_back(std::move(q));
  }
  return out;
}

void comparePredictions(const Prediction& a, const Prediction& b) {
  QCOMPARE(a.classId, b.classId);
  COMPARE_EXACTLY(a.distance, b.distance);
  QCOMPARE(a.instances, b.instances);
  QCOMPARE(a.matchDepth, b.matchDepth);
  QCOMPARE(a.leaf, b.leaf);
  QCOMPARE(a.tie, b.tie);
  QCOMPARE(a.distribution.size(), b.distribution.size());
  for (size_t i = 0; i < a.distribution.size(); ++i) {
    QCOMPARE(a.distribution[i].classId, b.distribution[i].classId);
    COMPARE_EXACTLY(a.distribution[i].weight, b.distribution[i].weight);
  }
  QCOMPARE(a.neighbours.size(), b.neighbours.size());
  for (size_t i = 0; i < a.neighbours.size(); ++i) {
    COMPARE_EXACTLY(a.neighbours[i].distance, b.neighbours[i].distance);
    COMPARE_EXACTLY(a.neighbours[i].weight, b.neighbours[i].weight);
    QCOMPARE(a.neighbours[i].storedVectors, b.neighbours[i].storedVectors);
  }
}

void compareMetrics(const Metrics& a, const Metrics& b) {
  QCOMPARE(a.tokens, b.tokens);
  QCOMPARE(a.correct, b.correct);
  QCOMPARE(a.inTop5, b.inTop5);
  COMPARE_EXACTLY(a.reciprocalRankSum, b.reciprocalRankSum);
  COMPARE_EXACTLY(a.log2ProbabilitySum, b.log2ProbabilitySum);
}

std::string traceJson(const Experiment& e, std::span<const uint32_t> q) {
  if (e.vectorMemory()) {
    auto t = traceVectorMemory(e, q);
    if (!t) qFatal("%s", t.status().message().c_str());
    return traceToJson(*t, e);
  }
  return traceToJson(traceContext(e, q), e);
}

}  // namespace

class TestMemoryFile : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { corpusPath_ = writeFile(dir_, "kjv3000.txt", kjvSlice()); }

  void roundTrip_data() {
    QTest::addColumn<Algorithm>("algorithm");
    QTest::newRow("IB1") << Algorithm::kIb1;
    QTest::newRow("IGTree") << Algorithm::kIgTree;
    QTest::newRow("TRIBL2") << Algorithm::kTribl2;
    QTest::newRow("vector memory") << Algorithm::kVectorMemory;
  }

  void roundTrip() {
    QFETCH(Algorithm, algorithm);
    const auto saved = train(corpusPath_, algorithm);
    const std::string path = dir_.filePath("memory.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    const auto opened = open(path);

    QCOMPARE(opened->record().toJson(), saved->record().toJson());
    // Also what the JSON leaves out for count-vote memories.
    QCOMPARE(opened->record().memoryTemperature, saved->record().memoryTemperature);
    QCOMPARE(opened->record().memoryLambda, saved->record().memoryLambda);
    QCOMPARE(opened->record().tuningTokens, saved->record().tuningTokens);
    QCOMPARE(opened->report().overall.tokens, uint64_t{0});  // not evaluated
    QCOMPARE(opened->corpus().vocab.size(), saved->corpus().vocab.size());
    QCOMPARE(opened->corpus().tokens.ids(), saved->corpus().tokens.ids());
    // The part's size and sources read in place, before train() copies it, then after.
    QCOMPARE(opened->trainSize(), saved->train().size());
    QVERIFY(opened->trainSize() > 0);
    for (size_t i = 0; i < opened->trainSize(); i += 997)
      QCOMPARE(opened->trainSource(i), saved->train().sources[i]);
    QCOMPARE(opened->trainSource(opened->trainSize() - 1), saved->train().sources.back());
    QCOMPARE(opened->train().sources, saved->train().sources);
    QCOMPARE(opened->trainSource(opened->trainSize() - 1), saved->train().sources.back());
    QCOMPARE(opened->test().features, saved->test().features);
    QCOMPARE(opened->trainClassCounts(), saved->trainClassCounts());
    QCOMPARE(opened->classifier().weights(), saved->classifier().weights());
    QVERIFY(opened->corpus().corpus->document(0).textAvailable);

    // Provenance: token positions and the sources of stored vectors.
    const TokenStream& a = saved->corpus().tokens;
    const TokenStream& b = opened->corpus().tokens;
    for (size_t t = 0; t < a.size(); t += 97) {
      QCOMPARE(b.position(t).line, a.position(t).line);
      QCOMPARE(b.position(t).byteOffset, a.position(t).byteOffset);
      QCOMPARE(b.position(t).length, a.position(t).length);
    }
    const InstanceBase& ma = saved->classifier().memory();
    const InstanceBase& mb = opened->classifier().memory();
    QCOMPARE(mb.vectorCount(), ma.vectorCount());
    for (uint32_t v = 0; v < ma.vectorCount(); v += 13) QCOMPARE(mb.sources(v), ma.sources(v));

    PredictOptions withEverything;
    withEverything.neighbours = true;
    const auto asked = queries(*saved, 600);
    for (const auto& q : asked) {
      comparePredictions(opened->classifier().predictOne(q, withEverything),
                         saved->classifier().predictOne(q, withEverything));
      if (QTest::currentTestFailed()) return;
    }
    for (size_t i = 0; i < 60; ++i)
      QCOMPARE(traceJson(*opened, asked[i]), traceJson(*saved, asked[i]));

    auto again = Experiment::evaluated(opened);
    QVERIFY(again.isOk());
    QVERIFY((*again)->report().complete);
    compareMetrics((*again)->record().test, saved->record().test);
    if (QTest::currentTestFailed()) return;
    compareMetrics((*again)->record().baseTest, saved->record().baseTest);
  }

  // An opened memory views its arrays in the file; growing a copy of it copies them first, and
  // grows exactly as the saved memory does, leaving the opened one as it was.
  void openedMemoryGrowsAsTheSavedOne() {
    const auto saved = train(corpusPath_, Algorithm::kIb1);
    const std::string path = dir_.filePath("grow.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    const auto opened = open(path);
    InstanceBase a = saved->classifier().memory();
    InstanceBase b = opened->classifier().memory();
    const uint32_t before = b.vectorCount();
    QVERIFY(a.add(saved->test()).isOk());
    QVERIFY(b.add(opened->test()).isOk());
    QVERIFY(b.vectorCount() > before);
    QCOMPARE(opened->classifier().memory().vectorCount(), before);
    QCOMPARE(b.vectorCount(), a.vectorCount());
    QCOMPARE(b.instanceCount(), a.instanceCount());
    QCOMPARE(b.classTotals(), a.classTotals());
    for (uint32_t v = 0; v < a.vectorCount(); ++v) {
      const auto da = a.distribution(v), db = b.distribution(v);
      QVERIFY(std::ranges::equal(a.vector(v), b.vector(v)));
      QCOMPARE(db.size(), da.size());
      for (size_t c = 0; c < da.size(); ++c) {
        QCOMPARE(db[c].classIndex, da[c].classIndex);
        QCOMPARE(db[c].count, da[c].count);
      }
      QCOMPARE(b.sources(v), a.sources(v));
      QCOMPARE(b.find(a.vector(v)), v);
    }
  }

  // IB1 and TRIBL2 answer from the subset indexes in the file: opening builds none (the search
  // holds next to no memory of its own, where the trained one holds every index), and a
  // classifier grown after opening builds its own and answers as the saved one grown alike.
  void subsetIndexesAreReadNotBuilt() {
    for (const Algorithm algorithm : {Algorithm::kIb1, Algorithm::kTribl2}) {
      const auto saved = train(corpusPath_, algorithm);
      const std::string path = dir_.filePath("indexes.mlm").toStdString();
      QVERIFY(saveMemory(*saved, path).isOk());
      const auto opened = open(path);
      const OverlapMemory* trained = overlapMemoryOf(saved->classifier());
      const OverlapMemory* read = overlapMemoryOf(opened->classifier());
      QVERIFY(trained && read);
      const size_t built = trained->search().memoryBytes();
      QVERIFY2(
          read->search().memoryBytes() * 20 < built,
          qPrintable(
              QString("%1 bytes opened, %2 trained").arg(read->search().memoryBytes()).arg(built)));
      answersAsSaved(*saved, opened);
      QVERIFY2(read->search().memoryBytes() * 20 < built, "answering built indexes");

      // Both are this test's own: grown in place, as an edit grows a memory.
      Classifier& a = const_cast<Classifier&>(saved->classifier());
      Classifier& b = const_cast<Classifier&>(opened->classifier());
      QVERIFY(a.add(saved->test(), nullptr).isOk());
      QVERIFY(b.add(opened->test(), nullptr).isOk());
      PredictOptions withNeighbours;
      withNeighbours.neighbours = true;
      for (const auto& q : queries(*saved, 300)) {
        comparePredictions(b.predictOne(q, withNeighbours), a.predictOne(q, withNeighbours));
        if (QTest::currentTestFailed()) return;
      }
    }
  }

  void infoWithoutOpening() {
    const auto saved = smallExperiment(Algorithm::kIgTree);
    const std::string path = dir_.filePath("info.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    auto info = readMemoryFileInfo(path);
    QVERIFY2(info.isOk(), info.status().message().c_str());
    QCOMPARE(info->formatVersion, Layout::kFormatVersion);
    QCOMPARE(info->fileBytes, uint64_t{std::filesystem::file_size(path)});
    QCOMPARE(info->record.toJson(), saved->record().toJson());
  }

  void changedCorpusHasNoText() {
    QTemporaryDir dir;
    const std::string corpus = writeFile(dir, "grammar.txt", test::smallGrammarCorpus());
    const auto saved = trainSmall(corpus);
    const std::string path = dir.filePath("m.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    writeFile(dir, "grammar.txt", test::smallGrammarCorpus() + "one more line .\n");
    const auto opened = open(path);
    const Document& doc = opened->corpus().corpus->document(0);
    QVERIFY(!doc.textAvailable);
    QVERIFY(doc.text.empty());
    QVERIFY2(
        doc.textMissing.find("grammar.txt changed since the memory was saved") != std::string::npos,
        doc.textMissing.c_str());
    answersAsSaved(*saved, opened);
    // Provenance keeps file and line; the snippet is empty.
    const Trace trace = traceContext(*opened, opened->test().instance(0));
    QVERIFY(!trace.buckets.empty() && !trace.buckets[0].neighbours.empty());
    for (const BucketTrace& bucket : trace.buckets)
      for (const NeighbourTrace& n : bucket.neighbours)
        for (const ProvenanceRef& p : n.provenance) QVERIFY(p.snippet.empty() && p.line > 0);
  }

  // Opening takes a file of the saved size and modification time as the saved text, without
  // hashing it; verifyMemory() hashes it and names a file changed behind its time.
  void corpusChangedBehindItsTimeIsFoundByVerify() {
    QTemporaryDir dir;
    const std::string corpus = writeFile(dir, "grammar.txt", test::smallGrammarCorpus());
    const auto saved = trainSmall(corpus);
    const std::string path = dir.filePath("m.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    QVERIFY(verifyMemory(path).isOk());
    const auto savedTime = std::filesystem::last_write_time(corpus);
    std::string text = test::smallGrammarCorpus();
    text[0] = text[0] == 'x' ? 'y' : 'x';  // the same size
    writeFile(dir, "grammar.txt", text);
    std::filesystem::last_write_time(corpus, savedTime + std::chrono::seconds(5));
    QVERIFY(!open(path)->corpus().corpus->document(0).textAvailable);  // hashed: it differs
    std::filesystem::last_write_time(corpus, savedTime);
    QVERIFY(open(path)->corpus().corpus->document(0).textAvailable);  // taken on size and time
    const QString error = verifyErrorOf(path);
    QVERIFY2(error.contains("grammar.txt changed since memory file") &&
                 error.contains("(SHA-256 differs)"),
             qPrintable(error));
  }

  // A file only touched (a new time, the same text) is hashed and attached.
  void touchedCorpusIsAttached() {
    QTemporaryDir dir;
    const std::string corpus = writeFile(dir, "grammar.txt", test::smallGrammarCorpus());
    const auto saved = trainSmall(corpus);
    const std::string path = dir.filePath("m.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    std::filesystem::last_write_time(
        corpus, std::filesystem::last_write_time(corpus) + std::chrono::seconds(5));
    QVERIFY(open(path)->corpus().corpus->document(0).textAvailable);
    QVERIFY(verifyMemory(path).isOk());
  }

  void absentCorpusHasNoText() {
    QTemporaryDir dir;
    const std::string corpus = writeFile(dir, "grammar.txt", test::smallGrammarCorpus());
    const auto saved = trainSmall(corpus);
    const std::string path = dir.filePath("m.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    QVERIFY(std::filesystem::remove(corpus));
    const auto opened = open(path);
    const Document& doc = opened->corpus().corpus->document(0);
    QVERIFY(!doc.textAvailable);
    QVERIFY2(doc.textMissing.find("grammar.txt is not at") != std::string::npos,
             doc.textMissing.c_str());
    QCOMPARE(doc.lineCount, saved->corpus().corpus->document(0).lineCount);
    answersAsSaved(*saved, opened);
  }

  void notAttachedWhenAsked() {
    const auto saved = smallExperiment(Algorithm::kIb1);
    const std::string path = dir_.filePath("detached.mlm").toStdString();
    QVERIFY(saveMemory(*saved, path).isOk());
    MemoryOpenOptions options;
    options.attachCorpus = false;
    auto opened = openMemory(path, options);
    QVERIFY(opened.isOk());
    QVERIFY(!(*opened)->corpus().corpus->document(0).textAvailable);
  }

  void cancelledSaveLeavesTheOldFile() {
    const auto saved = smallExperiment(Algorithm::kTribl2);
    const std::string path = writeFile(dir_, "keep.mlm", "whatever was here");
    JobControl job;
    job.cancel();
    QVERIFY(saveMemory(*saved, path, &job).isCancelled());
    QCOMPARE(readFile(path), std::string("whatever was here"));
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path().toStdString()))
      QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos,
               entry.path().c_str());
    auto opened = openMemory(savedSmall("ok.mlm"), {}, &job);
    QVERIFY(opened.status().isCancelled());
  }

  // Cancelled while the instance base's lists are walked: a cancelled verify, not a damaged file.
  void verifyingIsCancellable() {
    const std::string path = savedSmall("verified.mlm");
    JobControl* control = nullptr;
    JobControl job(
        [&](double, const std::string& stage) {
          if (stage == "reading the instance base") control->cancel();
        },
        std::chrono::milliseconds(0));
    control = &job;
    const Status verified = verifyMemory(path, &job);
    QVERIFY2(verified.isCancelled(), verified.message().c_str());
    QVERIFY(verifyMemory(path).isOk());
  }

  void unwritablePathIsAnError() {
    const auto saved = smallExperiment(Algorithm::kIb1);
    const Status s = saveMemory(*saved, "/nonexistent-folder/m.mlm");
    QVERIFY(!s.isOk());
    QVERIFY2(s.message().find("/nonexistent-folder/m.mlm") != std::string::npos,
             s.message().c_str());
  }

 private:
  std::shared_ptr<const Experiment> smallExperiment(Algorithm algorithm) {
    return test::smallExperiment(dir_, algorithm);
  }
  static std::shared_ptr<const Experiment> trainSmall(const std::string& corpus) {
    auto loaded = TokenisedCorpus::load({corpus}, TokeniserOptions{});
    if (!loaded) qFatal("%s", loaded.status().message().c_str());
    ExperimentOptions options;
    options.window.width = 3;
    auto e = Experiment::run(std::move(*loaded), options);
    if (!e) qFatal("%s", e.status().message().c_str());
    return std::shared_ptr<const Experiment>(std::move(*e));
  }
  std::string savedSmall(const char* name) {
    const std::string path = dir_.filePath(name).toStdString();
    if (!saveMemory(*smallExperiment(Algorithm::kIb1), path).isOk()) qFatal("cannot save");
    return path;
  }
  static void answersAsSaved(const Experiment& saved,
                             const std::shared_ptr<const Experiment>& opened) {
    for (const auto& q : queries(saved, 50)) {
      comparePredictions(opened->classifier().predictOne(q), saved.classifier().predictOne(q));
      if (QTest::currentTestFailed()) return;
    }
    // Provenance still names file and line; only the text is gone.
    const Trace a = traceContext(saved, saved.test().instance(0));
    const Trace b = traceContext(*opened, opened->test().instance(0));
    QCOMPARE(b.buckets.size(), a.buckets.size());
    auto again = Experiment::evaluated(opened);
    QVERIFY(again.isOk());
    compareMetrics((*again)->record().test, saved.record().test);
  }

  QTemporaryDir dir_;
  std::string corpusPath_;
};

QTEST_GUILESS_MAIN(TestMemoryFile)
#include "tst_memory_file.moc"
