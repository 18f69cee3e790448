// Damaged memory files: truncated at every 4 KB boundary, a flipped byte in each section, foreign,
// older and newer files, and sections edited with valid checksums. Each is refused with a clear
// error, or (damage opening leaves to the first reads) opens and answers without reading out of
// bounds, and verifyMemory() names it.
#include <QtTest>
#include <cstddef>
#include <cstring>

#include "classify/classifier_factories.h"
#include "memlens/token_stream.h"
#include "memory/ig_tree.h"
#include "memory/subset_index.h"
#include "memory_file_bytes.h"
#include "small_experiment.h"
#include "test_support.h"

using namespace memlens;
using namespace memlens::test;
using IgTreeNode = IgTree::Node;

class TestMemoryFileDamage : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { corpusPath_ = writeFile(dir_, "kjv3000.txt", kjvSlice()); }

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
      QVERIFY(saveMemory(*smallExperiment(dir_, algorithm), path).isOk());
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
    writeDamaged(dir_, "inconsistent.mlm", bytes, single + v * sizeof(ClassCount), badClass);
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
    writeDamaged(dir_, "inconsistent.mlm", bytes, sources, badSource);
    opened = openedDespiteDamage(path,
                                 "section 'train instances': instance 0 has a class past "
                                 "the vocabulary or a source past the token stream");
    QVERIFY(opened);
    QCOMPARE(opened->train().sources[0], uint64_t{0});

    // A validation instance's feature past the vocabulary (the features follow the width): read
    // as 0 by the part and by a prefix of it, which copies no more of the file.
    bytes = whole;
    const size_t features =
        arrayData(bytes, section(entries, Layout::Section::kValidation).offset + 4, {});
    const auto width = static_cast<size_t>(memory.width());
    writeDamaged(dir_, "inconsistent.mlm", bytes, features + width * sizeof(uint32_t), 0xFFFFFF00u);
    opened = openedDespiteDamage(path,
                                 "section 'validation instances': instance 1 has a feature value "
                                 "past the vocabulary");
    QVERIFY(opened);
    const InstanceSet prefix = opened->validationPrefix(3);
    QCOMPARE(prefix.size(), size_t{3});
    QCOMPARE(prefix.width, opened->validation().width);
    QCOMPARE(prefix.features[width], 0u);
    const InstanceSet head = opened->validation().slice(0, 3);
    QCOMPARE(prefix.features, head.features);
    QCOMPARE(prefix.classes, head.classes);
    QCOMPARE(prefix.sources, head.sources);
    QCOMPARE(opened->validationPrefix(1'000'000).size(), opened->validation().size());

    // A token id past the vocabulary.
    bytes = whole;
    const size_t ids = arrayData(bytes, section(entries, Layout::Section::kTokens).offset, {});
    const uint32_t badId = 0xFFFFFF00u;
    writeDamaged(dir_, "inconsistent.mlm", bytes, ids, badId);
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
    writeDamaged(dir_, "inconsistent.mlm", bytes, links, pastVectors);
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
    writeDamaged(dir_, "inconsistent.mlm", bytes, cached, badClass);
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
    writeDamaged(dir_, "inconsistent.mlm", bytes, valuesCount, huge);
    QVERIFY2(errorOf(path).contains("runs past the section's end"), qPrintable(errorOf(path)));

    // An IGTree root answering a class past the class count (the nodes follow the order; the
    // root is the last node).
    const std::string igTree = dir_.filePath("igtree.mlm").toStdString();
    QVERIFY(saveMemory(*smallExperiment(dir_, Algorithm::kIgTree), igTree).isOk());
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
  // Source lists whose every link is sound but which cross: verifyMemory() names them, and an
  // edit's instanceVectors() refuses the lists (opening leaves them to it) instead of giving one
  // vector's instances to another.
  void crossedSourceListsAreNamed() {
    const std::string soundPath = savedSmall("lists.mlm");
    const std::string whole = readFile(soundPath);
    const auto entries = sections(whole);
    const std::string path = dir_.filePath("lists-damaged.mlm").toStdString();
    const auto sound = openMemory(soundPath);
    QVERIFY(sound);
    const InstanceBase& memory = (*sound)->classifier().memory();
    QVERIFY(memory.instanceVectors());
    QVERIFY(memory.vectorCount() > 1);

    // Vector 1 starts where vector 0 does (the lists follow values, single, multi, multi starts,
    // multi entries, hash slots, sources and next links): 0's instances are listed twice, 1's
    // in no list.
    const size_t base = section(entries, Layout::Section::kInstanceBase).offset + 4;
    const size_t first = arrayData(whole, base, {4, 8, 4, 8, 8, 4, 8, 4});
    uint32_t firstOf0;
    std::memcpy(&firstOf0, whole.data() + first, 4);
    writeDamaged(dir_, "lists-damaged.mlm", whole, first + 4, firstOf0);
    const QString crossed = "instances are in no stored vector's list, and ";
    QVERIFY(openedDespiteDamage(path, crossed));
    auto opened = openMemory(path);
    QVERIFY(opened);
    const InstanceBase& damaged = (*opened)->classifier().memory();
    QCOMPARE(damaged.firstSource(1), memory.firstSource(0));  // the bytes changed are the lists'
    JobControl cancelled;
    cancelled.cancel();
    QVERIFY(damaged.checkAll(&cancelled).isCancelled());  // not reported as the damage
    const auto owners = damaged.instanceVectors();
    QVERIFY(!owners);
    QVERIFY2(QString::fromStdString(owners.status().message()).contains(crossed),
             owners.status().message().c_str());

    // An instance linking to itself (the next links are the array before): verifyMemory() names
    // the link, instanceVectors() the list, and sources() ends there.
    const size_t next = arrayData(whole, base, {4, 8, 4, 8, 8, 4, 8});
    uint32_t instance = 0, link = 0;
    while (instance < memory.instanceCount()) {
      std::memcpy(&link, whole.data() + next + instance * 4, 4);
      if (link != InstanceBase::kNone) break;
      ++instance;
    }
    QVERIFY(instance < memory.instanceCount());
    writeDamaged(dir_, "lists-damaged.mlm", whole, next + instance * 4, instance);
    QVERIFY(openedDespiteDamage(path, QString("section 'instance base': instance %1 links to "
                                              "instance %1 of %2")
                                          .arg(instance)
                                          .arg(memory.instanceCount())));
    opened = openMemory(path);
    QVERIFY(opened);
    const InstanceBase& looped = (*opened)->classifier().memory();
    const auto disordered = looped.instanceVectors();
    QVERIFY(!disordered);
    QVERIFY2(QString::fromStdString(disordered.status().message())
                 .contains("lists an instance "
                           "out of order"),
             disordered.status().message().c_str());
    for (uint32_t v = 0; v < looped.vectorCount(); ++v)
      QVERIFY(looped.sources(v).size() <= memory.sources(v).size());
  }

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
    writeDamaged(dir_, "lazy-damaged.mlm", bytes, slots + used * 16, pastValues);
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
    writeDamaged(dir_, "lazy-damaged.mlm", bytes, followers, pastVocabulary);
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

 private:
  std::string savedSmall(const char* name) {
    const std::string path = dir_.filePath(name).toStdString();
    if (!saveMemory(*smallExperiment(dir_, Algorithm::kIb1), path).isOk()) qFatal("cannot save");
    return path;
  }

  QTemporaryDir dir_;
  std::string corpusPath_;
};

QTEST_GUILESS_MAIN(TestMemoryFileDamage)
#include "tst_memory_file_damage.moc"
