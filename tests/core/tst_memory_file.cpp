// Memory files: a saved experiment opens and answers, explains and evaluates exactly as the one
// that was saved; damaged, truncated, foreign, older and newer files are refused with a clear
// error (damage in a large section by verifyMemory()).
#include <QtTest>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <random>

#include "classify/classifier_factories.h"
#include "memfile/checksum64.h"
#include "memfile/memory_file_layout.h"
#include "memlens/memory_file.h"
#include "memlens/token_stream.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memlens/vector_trace.h"
#include "memory/ig_tree.h"
#include "memory/subset_index.h"
#include "small_experiment.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::kjvHead;
using memlens::test::readFile;
using memlens::test::writeFile;
using Layout = MemoryFileLayout;
using IgTreeNode = IgTree::Node;

Q_DECLARE_METATYPE(memlens::Algorithm)

// QCOMPARE compares doubles fuzzily; a reopened memory must give the very same bits.
#define COMPARE_EXACTLY(actual, expected)                                        \
  QVERIFY2((actual) == (expected), qPrintable(QString::number(actual, 'g', 17) + \
                                              " != " + QString::number(expected, 'g', 17)))

namespace {

// The first 3000 verses of the KJV demo corpus.
std::string kjvSlice() {
  std::string kjv = kjvHead(3000);
  if (kjv.empty()) qFatal("the KJV demo corpus is missing: build the demo_corpus target");
  return kjv;
}

std::shared_ptr<const Experiment> train(const std::string& path, Algorithm algorithm) {
  TokeniserOptions tokeniser;
  auto corpus = TokenisedCorpus::load({path}, tokeniser);
  if (!corpus) qFatal("%s", corpus.status().message().c_str());
  ExperimentOptions options;
  options.classifier.algorithm = algorithm;
  options.classifier.k = 2;
  options.classifier.distanceWeighting = DistanceWeighting::kInverseDistance;
  options.classifier.wordVectors.dimensions = 16;
  options.maxTestTokens = 3000;
  auto e = Experiment::run(std::move(*corpus), options);
  if (!e) qFatal("%s", e.status().message().c_str());
  return std::shared_ptr<const Experiment>(std::move(*e));
}

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

// The section table of a memory file's bytes.
std::vector<Layout::Entry> sections(const std::string& bytes) {
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  std::vector<Layout::Entry> entries(h.sectionCount);
  std::memcpy(entries.data(), bytes.data() + Layout::kHeaderBytes,
              entries.size() * sizeof(Layout::Entry));
  return entries;
}

// Recomputes every checksum after a deliberate edit, so only the reader's consistency checks
// can catch it.
void restamp(std::string& bytes) {
  std::vector<Layout::Entry> entries = sections(bytes);
  for (Layout::Entry& e : entries)
    e.checksum = Checksum64::of(std::string_view(bytes).substr(e.offset, e.length));
  const size_t tableBytes = entries.size() * sizeof(Layout::Entry);
  std::memcpy(bytes.data() + Layout::kHeaderBytes, entries.data(), tableBytes);
  Layout::Header h;
  std::memcpy(&h, bytes.data(), sizeof h);
  h.tableChecksum =
      Checksum64::of(std::string_view(bytes).substr(Layout::kHeaderBytes, tableBytes));
  h.headerChecksum = Checksum64::of({reinterpret_cast<const char*>(&h), 40});
  std::memcpy(bytes.data(), &h, sizeof h);
}

const Layout::Entry& section(const std::vector<Layout::Entry>& entries, Layout::Section id) {
  for (const Layout::Entry& e : entries)
    if (e.id == static_cast<uint32_t>(id)) return e;
  qFatal("no section %u", static_cast<unsigned>(id));
}

// The file offset of the elements of an array at `at` (a u64 count, padding to 8, elements,
// padding to 8), after skipping arrays whose element sizes are `skipped`.
size_t arrayData(const std::string& bytes, size_t at, std::initializer_list<size_t> skipped) {
  for (size_t elementSize : skipped) {
    uint64_t count;
    std::memcpy(&count, bytes.data() + at, 8);
    at = (at + 8 + 7) / 8 * 8;
    at = (at + count * elementSize + 7) / 8 * 8;
  }
  return (at + 8 + 7) / 8 * 8;
}

QString errorOf(const std::string& path) {
  auto e = openMemory(path);
  return e ? QString() : QString::fromStdString(e.status().message());
}

QString verifyErrorOf(const std::string& path) {
  return QString::fromStdString(verifyMemory(path).message());
}

// A file whose damage opening leaves to the first reads: verifyMemory() names it (`expected`);
// opened, it predicts and traces every test context without reading out of bounds. Null when
// a check failed.
std::shared_ptr<const Experiment> openedDespiteDamage(const std::string& path,
                                                      const QString& expected) {
  const QString verified = verifyErrorOf(path);
  if (!verified.contains(expected)) {
    qWarning("verifyMemory() said: %s", qPrintable(verified));
    return nullptr;
  }
  auto opened = openMemory(path);
  if (!opened) {
    qWarning("openMemory() said: %s", opened.status().message().c_str());
    return nullptr;
  }
  const Experiment& e = **opened;
  for (size_t i = 0; i < e.test().size(); ++i) (void)traceContext(e, e.test().instance(i));
  return *opened;
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
    QCOMPARE(opened->train().sources, saved->train().sources);
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

  void truncatedFilesAreRefused() {
    const std::string path = savedSmall("whole.mlm");
    const std::string whole = readFile(path);
    const std::string cut = dir_.filePath("cut.mlm").toStdString();
    const size_t tableEnd = Layout::kHeaderBytes + sections(whole).size() * Layout::kEntryBytes;
    std::vector<size_t> lengths;
    for (size_t n = 0; n <= tableEnd; ++n) lengths.push_back(n);
    for (size_t n = 4096; n < whole.size(); n += 4096) lengths.push_back(n);
    lengths.push_back(whole.size() - 1);
    for (size_t n : lengths) {
      writeFile(dir_, "cut.mlm", whole.substr(0, n));
      const QString error = errorOf(cut);
      QVERIFY2(!error.isEmpty(), qPrintable(QString("opened at %1 bytes").arg(n)));
      QVERIFY2(error.contains(QString::fromStdString(cut)), qPrintable(error));
      if (n >= 8)
        QVERIFY2(error.contains("truncated") || error.contains("checksum"), qPrintable(error));
    }
  }

  // Opening checks the small sections' checksums; verifyMemory() checks them all. A flipped byte
  // in a large section meets only opening's bounds checks there: an error or a memory that
  // answers, never a crash.
  void flippedBytesAreRefused() {
    const std::string damaged = dir_.filePath("damaged.mlm").toStdString();
    for (const Algorithm algorithm : {Algorithm::kIb1, Algorithm::kIgTree}) {
      const std::string path = dir_.filePath("flip.mlm").toStdString();
      QVERIFY(saveMemory(*smallExperiment(algorithm), path).isOk());
      const std::string whole = readFile(path);
      QVERIFY(verifyMemory(path).isOk());
      const auto entries = sections(whole);
      QCOMPARE(entries.size(), size_t{14});
      for (const Layout::Entry& e : entries) {
        if (e.length == 0) continue;  // the IGTree section of other algorithms
        std::string bytes = whole;
        bytes[e.offset + e.length / 2] ^= 0x10;
        writeFile(dir_, "damaged.mlm", bytes);
        const QString expected =
            QString("memory file %1 is damaged: section '%2' fails its checksum")
                .arg(QString::fromStdString(damaged),
                     QString::fromUtf8(Layout::nameOf(e.id).data(),
                                       qsizetype(Layout::nameOf(e.id).size())));
        QCOMPARE(verifyErrorOf(damaged), expected);
        const QString opening = errorOf(damaged);
        if (Layout::checkedOnOpen(e.id)) QCOMPARE(opening, expected);
      }
    }
    const std::string whole = readFile(savedSmall("flip.mlm"));
    std::string header = whole;
    header[20] ^= 1;  // in fileBytes
    writeFile(dir_, "damaged.mlm", header);
    QVERIFY(errorOf(damaged).contains("its header fails its checksum"));
    std::string table = whole;
    table[Layout::kHeaderBytes + 9] ^= 1;  // an offset
    writeFile(dir_, "damaged.mlm", table);
    QVERIFY(errorOf(damaged).contains("its section table fails its checksum"));
  }

  void foreignAndNewerFilesAreRefused() {
    const std::string whole = readFile(savedSmall("kinds.mlm"));
    const std::string other = dir_.filePath("other.mlm").toStdString();
    writeFile(dir_, "other.mlm", "In the beginning God created the heaven and the earth.\n");
    QVERIFY(errorOf(other).contains("is not a MemLens memory file"));
    writeFile(dir_, "other.mlm", "");
    QVERIFY(!errorOf(other).isEmpty());

    std::string newer = whole;
    const uint32_t version = Layout::kFormatVersion + 1;
    std::memcpy(newer.data() + 8, &version, 4);
    restamp(newer);
    writeFile(dir_, "other.mlm", newer);
    QVERIFY2(errorOf(other).contains(QString("has format version %1, newer than this MemLens "
                                             "reads (%2)")
                                         .arg(version)
                                         .arg(Layout::kFormatVersion)),
             qPrintable(errorOf(other)));
    auto info = readMemoryFileInfo(other);
    QVERIFY(!info.isOk());

    // Version 1 rebuilt weights and trees on opening, version 2 kept no trie order for IGTree's
    // traces, version 3 no subset indexes for IB1 and TRIBL2; they are refused, not misread.
    for (const uint32_t old : {1u, 2u, 3u}) {
      std::string older = whole;
      std::memcpy(older.data() + 8, &old, 4);
      restamp(older);
      writeFile(dir_, "other.mlm", older);
      QVERIFY2(errorOf(other).contains(
                   QString("has format version %1, written by an older MemLens").arg(old)),
               qPrintable(errorOf(other)));
      QVERIFY(!verifyMemory(other).isOk());
    }

    std::string swapped = whole;
    const uint32_t mark = 0x04030201u;
    std::memcpy(swapped.data() + 12, &mark, 4);
    writeFile(dir_, "other.mlm", swapped);
    QVERIFY(errorOf(other).contains("another byte order"));
  }

  // Edits with valid checksums: only the consistency checks stand between them and a crash.
  // Opening checks sizes and small tables; the big arrays' elements are checked as they are first
  // read, where a damaged one is replaced by a safe one, and verifyMemory() checks them all.
  void inconsistentSectionsAreRefused() {
    const std::string whole = readFile(savedSmall("consistent.mlm"));
    const auto entries = sections(whole);
    const std::string path = dir_.filePath("inconsistent.mlm").toStdString();

    // The class index of a stored vector with one class, not class 0 (the single counts are the
    // array after the values, which follow the width).
    const auto sound = openMemory(dir_.filePath("consistent.mlm").toStdString());
    QVERIFY(sound);
    const InstanceBase& memory = (*sound)->classifier().memory();
    uint32_t v = 0;
    while (v < memory.vectorCount() &&
           (memory.distribution(v).size() != 1 || memory.distribution(v)[0].classIndex == 0))
      ++v;
    QVERIFY(v < memory.vectorCount());
    std::string bytes = whole;
    const size_t single =
        arrayData(bytes, section(entries, Layout::Section::kInstanceBase).offset + 4, {4});
    const uint32_t badClass = 9999;
    std::memcpy(bytes.data() + single + v * sizeof(ClassCount), &badClass, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    auto opened = openedDespiteDamage(
        path, QString("section 'instance base': stored vector %1 counts class index 9999, past "
                      "the class count")
                  .arg(v));
    QVERIFY(opened);
    // Read as class 0.
    QCOMPARE(opened->classifier().memory().distribution(v)[0].classIndex, 0u);

    // A train instance's source past the token stream (after the width, features and classes).
    bytes = whole;
    const size_t sources =
        arrayData(bytes, section(entries, Layout::Section::kTrain).offset + 4, {4, 4});
    const uint64_t badSource = uint64_t{1} << 40;
    std::memcpy(bytes.data() + sources, &badSource, 8);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    opened = openedDespiteDamage(path,
                                 "section 'train instances': instance 0 has a class past "
                                 "the vocabulary or a source past the token stream");
    QVERIFY(opened);
    QCOMPARE(opened->train().sources[0], uint64_t{0});

    // A token id past the vocabulary.
    bytes = whole;
    const size_t ids = arrayData(bytes, section(entries, Layout::Section::kTokens).offset, {});
    const uint32_t badId = 0xFFFFFF00u;
    std::memcpy(bytes.data() + ids, &badId, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    opened = openedDespiteDamage(path,
                                 "section 'token stream': token 0 is id 4294967040, past "
                                 "the vocabulary");
    QVERIFY(opened);
    QCOMPARE(opened->corpus().tokens.id(0), 0u);
    QCOMPARE(opened->corpus().tokens.ids()[0], 0u);

    // The subset indexes (IB1, width 4): a member link past the stored vectors, a cached
    // distribution's class past the class count, and a hash table with no free slot. The first
    // index (mask 1) follows the count and its mask: hash slots, groups, links, cache starts and
    // cache entries.
    const size_t firstIndex = section(entries, Layout::Section::kSubsetIndexes).offset + 16;
    bytes = whole;
    const size_t links = arrayData(bytes, firstIndex, {4, sizeof(SubsetIndex::Group)});
    const uint32_t pastVectors = memory.vectorCount() + 5;
    std::memcpy(bytes.data() + links, &pastVectors, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    opened = openedDespiteDamage(path, QString("section 'subset indexes': subset index 1: stored "
                                               "vector 0 links to vector %1 of %2")
                                           .arg(pastVectors)
                                           .arg(memory.vectorCount()));
    QVERIFY(opened);
    // The first index with cached distributions (groups of 48 or more members: a larger memory).
    const std::string larger = dir_.filePath("larger.mlm").toStdString();
    QVERIFY(saveMemory(*train(corpusPath_, Algorithm::kIb1), larger).isOk());
    const std::string largerWhole = readFile(larger);
    const size_t indexes = section(sections(largerWhole), Layout::Section::kSubsetIndexes).offset;
    uint32_t indexCount;
    std::memcpy(&indexCount, largerWhole.data() + indexes, 4);
    size_t at = indexes + 16, cached = 0;
    uint32_t cachedMask = 0;
    for (uint32_t m = 1; m <= indexCount && cached == 0; ++m) {
      const size_t flat = arrayData(largerWhole, at, {4, sizeof(SubsetIndex::Group), 4, 8});
      uint64_t count;
      std::memcpy(&count, largerWhole.data() + flat - 8, 8);
      if (count > 0) {
        cached = flat;
        cachedMask = m;
      }
      at = (flat + count * sizeof(ClassCount) + 7) / 8 * 8 + 8;  // past the next mask
    }
    QVERIFY(cached > 0);
    bytes = largerWhole;
    std::memcpy(bytes.data() + cached, &badClass, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    opened = openedDespiteDamage(path, QString("section 'subset indexes': subset index %1: cache "
                                               "entry 0 counts class index 9999")
                                           .arg(cachedMask));
    QVERIFY(opened);
    bytes = whole;
    const size_t slots = arrayData(bytes, firstIndex, {});
    uint64_t slotCount;
    std::memcpy(&slotCount, bytes.data() + slots - 8, 8);
    const uint32_t firstGroup = 1;
    for (uint64_t i = 0; i < slotCount; ++i)
      std::memcpy(bytes.data() + slots + i * 4, &firstGroup, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    auto full = openMemory(path);
    QVERIFY(full.isOk());
    for (size_t i = 0; i < (*full)->test().size(); ++i)
      (void)traceContext(**full, (*full)->test().instance(i));

    // A huge array count: refused on opening, before anything is allocated.
    bytes = whole;
    // The stored vectors' values: their count follows the width.
    const size_t valuesCount = section(entries, Layout::Section::kInstanceBase).offset + 4;
    const uint64_t huge = uint64_t{1} << 60;
    std::memcpy(bytes.data() + valuesCount, &huge, 8);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    QVERIFY2(errorOf(path).contains("runs past the section's end"), qPrintable(errorOf(path)));

    // An IGTree root answering a class past the class count (the nodes follow the order; the
    // root is the last node).
    const std::string igTree = dir_.filePath("igtree.mlm").toStdString();
    QVERIFY(saveMemory(*smallExperiment(Algorithm::kIgTree), igTree).isOk());
    bytes = readFile(igTree);
    const size_t nodes =
        arrayData(bytes, section(sections(bytes), Layout::Section::kIgTree).offset, {4});
    uint64_t nodeCount;
    std::memcpy(&nodeCount, bytes.data() + nodes - 8, 8);
    const size_t root = nodes + (nodeCount - 1) * sizeof(IgTreeNode);
    std::memcpy(bytes.data() + root + offsetof(IgTreeNode, defaultClass), &badClass, 4);
    restamp(bytes);
    writeFile(dir_, "inconsistent.mlm", bytes);
    opened = openedDespiteDamage(
        path, QString("section 'IGTree': node %1 answers class index 9999").arg(nodeCount - 1));
    QVERIFY(opened);
    const IgTree* tree = igTreeOf(opened->classifier());
    QVERIFY(tree);
    // Read as a leaf answering class 0.
    QCOMPARE(tree->root().defaultClass, 0u);
    QCOMPARE(tree->root().childCount, 0u);
  }

  // Tables opening views without reading (the token stream's lines, the value×class counts, the
  // Kneser-Ney followers): damaged, they open, their readers stay inside the arrays, and
  // verifyMemory() names the damage.
  void tablesCheckedOnUseAreSafeWhenDamaged() {
    const std::string whole = readFile(savedSmall("lazy.mlm"));
    const auto entries = sections(whole);
    const std::string path = dir_.filePath("lazy-damaged.mlm").toStdString();

    // Line 1 starting past the token stream (the lines follow ids, offsets and lengths).
    std::string bytes = whole;
    const size_t lines =
        arrayData(bytes, section(entries, Layout::Section::kTokens).offset, {4, 4, 4});
    const uint64_t pastTokens = uint64_t{1} << 40;
    std::memcpy(
        bytes.data() + lines + sizeof(TokenStream::Line) + offsetof(TokenStream::Line, firstToken),
        &pastTokens, 8);
    restamp(bytes);
    writeFile(dir_, "lazy-damaged.mlm", bytes);
    auto opened =
        openedDespiteDamage(path, "section 'token stream': line 1 starts outside the token range");
    QVERIFY(opened);
    const TokenStream& tokens = opened->corpus().tokens;
    QCOMPARE(tokens.line(1).firstToken, uint64_t{tokens.size()});
    QVERIFY(tokens.lineEnd(0) <= tokens.size() && tokens.lineEnd(1) == tokens.size());

    // A value×class count of feature 0 keyed past the feature's values (the feature tables
    // follow the instance base's twelve arrays; a slot is key, count, used).
    bytes = whole;
    const size_t slots =
        arrayData(bytes, section(entries, Layout::Section::kInstanceBase).offset + 4,
                  {4, 8, 4, 8, 8, 4, 8, 4, 4, 4, 4, 8, 4, 4, 8});
    uint64_t slotCount;
    std::memcpy(&slotCount, bytes.data() + slots - 8, 8);
    size_t used = 0;
    for (uint32_t flag = 0; used < slotCount; ++used) {
      std::memcpy(&flag, bytes.data() + slots + used * 16 + 12, 4);
      if (flag != 0) break;
    }
    QVERIFY(used < slotCount);
    const uint64_t pastValues = uint64_t{0xFFFFFF} << 32;
    std::memcpy(bytes.data() + slots + used * 16, &pastValues, 8);
    restamp(bytes);
    writeFile(dir_, "lazy-damaged.mlm", bytes);
    opened = openedDespiteDamage(path,
                                 "section 'instance base': feature 0: a value/class count past "
                                 "the values or classes");
    QVERIFY(opened);
    const FeatureCounts& counts = opened->classifier().memory().featureCounts()[0];
    bool inside = true;
    counts.valueClass.forEach([&](uint64_t key, uint32_t) {
      inside = inside && (key >> 32) < counts.valueTotals.size();
    });
    QVERIFY(inside);

    // A follower of the first order-2 context past the vocabulary (the levels follow the order,
    // the vocabulary size, three arrays and two sums; a level is ids, gammas, starts, tokens).
    bytes = whole;
    const size_t sums =
        arrayData(bytes, section(entries, Layout::Section::kBaseModel).offset + 8, {8, 8, 8}) - 8;
    const size_t contextIds = arrayData(bytes, sums + 16, {});
    const size_t followers = arrayData(bytes, sums + 16, {4, 8, 8});
    const uint32_t pastVocabulary = 0xFFFFFF00u;
    std::memcpy(bytes.data() + followers, &pastVocabulary, 4);
    restamp(bytes);
    writeFile(dir_, "lazy-damaged.mlm", bytes);
    opened = openedDespiteDamage(path,
                                 "section 'base model': order 2: context 0: a follower outside "
                                 "the vocabulary or order");
    QVERIFY(opened);
    // Read as a context never seen: the distribution still sums to 1 over the vocabulary.
    std::vector<uint32_t> context(static_cast<size_t>(opened->record().options.window.width), 0);
    std::memcpy(&context.back(), bytes.data() + contextIds, 4);
    std::vector<double> dense;
    opened->base().distribution(context, dense);
    double sum = 0.0;
    for (const double p : dense) sum += p;
    QVERIFY2(std::abs(sum - 1.0) < 1e-9, qPrintable(QString::number(sum, 'g', 17)));
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
