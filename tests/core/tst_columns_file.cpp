#include <QtTest>

#include "memlens/columns_file.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::readFile;
using memlens::test::writeFile;

class TestColumnsFile : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void readsTimblColumns() {
    QTemporaryDir dir;
    const auto path = writeFile(dir, "in.txt", "_ a\tb c\r\n\n  x  y z w\nl'x, . , .\n");
    Vocabulary vocab;
    auto set = readColumnsFile(path, vocab);
    QVERIFY2(set.isOk(), set.status().message().c_str());
    QCOMPARE(set->width, 3);
    QCOMPARE(set->size(), size_t{3});
    QCOMPARE(vocab.text(set->instance(1)[0]), std::string_view("x"));
    QCOMPARE(vocab.text(set->classes[1]), std::string_view("w"));
    QCOMPARE(vocab.text(set->instance(2)[0]), std::string_view("l'x,"));
    QCOMPARE(set->sources, (std::vector<uint64_t>{1, 3, 4}));
  }

  void roundTrip() {
    QTemporaryDir dir;
    Vocabulary vocab;
    InstanceSet set;
    set.width = 2;
    for (const char* row : {"_ in the", "in the beginning", "ἐν ἀρχῇ ἦν"}) {
      const QStringList f = QString::fromUtf8(row).split(' ');
      set.features.push_back(vocab.intern(f[0].toStdString()));
      set.features.push_back(vocab.intern(f[1].toStdString()));
      set.classes.push_back(vocab.intern(f[2].toStdString()));
      set.sources.push_back(set.classes.size());
    }
    const std::string path = dir.filePath("out.txt").toStdString();
    QVERIFY(writeColumnsFile(path, set, vocab).isOk());
    QCOMPARE(readFile(path), std::string("_ in the\nin the beginning\nἐν ἀρχῇ ἦν\n"));
    Vocabulary again;
    auto read = readColumnsFile(path, again);
    QVERIFY(read.isOk());
    QCOMPARE(read->size(), set.size());
    for (size_t i = 0; i < set.size(); ++i)
      QCOMPARE(again.text(read->classes[i]), vocab.text(set.classes[i]));
  }

  void errors_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("ragged") << QByteArray("a b c\nd e f\ng h\n")
                            << "in.txt line 3: 2 fields, expected 3 as on line 1";
    QTest::newRow("ragged after blank")
        << QByteArray("\na b\nc d e\n") << "line 3: 3 fields, expected 2 as on line 2";
    QTest::newRow("one field") << QByteArray("lonely\n") << "line 1: a Columns instance needs";
    QTest::newRow("empty") << QByteArray("") << "empty file";
    QTest::newRow("blank only") << QByteArray("\n \n") << "no instances";
    QTest::newRow("binary") << QByteArray("a b\nc\0d", 7) << "line 2: NUL byte";
    QTest::newRow("invalid utf-8")
        << QByteArray("a b\nc \xFF\n") << "line 2, byte 2: invalid UTF-8";
  }
  void errors() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    Vocabulary vocab;
    auto set = readColumnsFile(
        writeFile(dir, "in.txt", {content.constData(), size_t(content.size())}), vocab);
    QVERIFY(!set.isOk());
    QVERIFY2(set.status().message().find(expected.toStdString()) != std::string::npos,
             set.status().message().c_str());
  }

  void cancelledWriteLeavesNoFile() {
    QTemporaryDir dir;
    Vocabulary vocab;
    InstanceSet set;
    set.width = 1;
    const uint32_t a = vocab.intern("a");
    for (int i = 0; i < 100000; ++i) {
      set.features.push_back(a);
      set.classes.push_back(a);
      set.sources.push_back(0);
    }
    const std::string path = dir.filePath("out.txt").toStdString();
    writeFile(dir, "out.txt", "previous content\n");
    JobControl job;
    job.cancel();
    QVERIFY(writeColumnsFile(path, set, vocab, &job).isCancelled());
    QCOMPARE(readFile(path), std::string("previous content\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
  }

  void unwritableTarget() {
    Vocabulary vocab;
    InstanceSet set;
    set.width = 1;
    set.features = {vocab.intern("a")};
    set.classes = {vocab.intern("b")};
    set.sources = {1};
    const Status s = writeColumnsFile("/nonexistent-dir/x.txt", set, vocab);
    QCOMPARE(s.code(), Status::Code::kIoError);
    QVERIFY(s.message().find("/nonexistent-dir/x.txt") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(TestColumnsFile)
#include "tst_columns_file.moc"
