#include <QtTest>
#include <tuple>

#include "memlens/corpus.h"
#include "test_support.h"

using memlens::Corpus;
using memlens::Status;
using memlens::test::writeFile;

class TestCorpus : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void opensFilesInGivenOrder() {
    QTemporaryDir dir;
    const auto b = writeFile(dir, "b.txt", "one\ntwo");
    const auto a = writeFile(dir, "a.txt", "x\ny\n");
    auto corpus = Corpus::open({b, a});
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    QCOMPARE((*corpus)->documentCount(), size_t{2});
    QCOMPARE((*corpus)->document(0).path, b);
    QCOMPARE((*corpus)->document(0).lineCount, uint64_t{2});  // last line without '\n' counts
    QCOMPARE((*corpus)->document(1).lineCount, uint64_t{2});
    QCOMPARE((*corpus)->document(0).text, std::string_view("one\ntwo"));
    QCOMPARE((*corpus)->totalBytes(), uint64_t{11});
  }

  void foldersAreSortedRecursiveAndSkipHidden() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath("sub"));
    QVERIFY(QDir(dir.path()).mkpath(".git"));
    writeFile(dir, "z.txt", "z\n");
    writeFile(dir, "sub/m.txt", "m\n");
    writeFile(dir, "a.txt", "a\n");
    writeFile(dir, ".hidden.txt", "h\n");
    writeFile(dir, ".git/config", "c\n");
    auto corpus = Corpus::open({dir.path().toStdString()});
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    QCOMPARE((*corpus)->documentCount(), size_t{3});
    QVERIFY((*corpus)->document(0).path.ends_with("/a.txt"));
    QVERIFY((*corpus)->document(1).path.ends_with("/sub/m.txt"));
    QVERIFY((*corpus)->document(2).path.ends_with("/z.txt"));

    memlens::CorpusOptions flat;
    flat.recursive = false;
    auto top = Corpus::open({dir.path().toStdString()}, flat);
    QVERIFY(top.isOk());
    QCOMPARE((*top)->documentCount(), size_t{2});
  }

  void byteOrderMarkIsSkipped() {
    QTemporaryDir dir;
    auto corpus = Corpus::open({writeFile(dir, "bom.txt", "\xEF\xBB\xBFhello\n")});
    QVERIFY(corpus.isOk());
    QCOMPARE((*corpus)->document(0).bomBytes, 3u);
    QCOMPARE((*corpus)->document(0).text, std::string_view("hello\n"));
  }

  void errors_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");  // substrings separated by '|'
    QTest::newRow("empty") << QByteArray("") << "bad.txt: empty file";
    QTest::newRow("binary") << QByteArray("ok\nab\0cd", 8) << "bad.txt line 2, byte 2|binary";
    QTest::newRow("invalid utf-8")
        << QByteArray("first\nsecond\nthird \xE9t\xE9\n") << "bad.txt line 3, byte 6|invalid UTF-8";
    QTest::newRow("truncated sequence at end") << QByteArray("ok \xE2\x80") << "line 1, byte 3";
    // The first problem in the file, whichever kind (a sharded run checks parts of it).
    QTest::newRow("invalid utf-8 before a NUL")
        << QByteArray("ok\nab\xE9 \nc\0d", 11) << "bad.txt line 2, byte 2|invalid UTF-8";
  }
  void errors() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const auto good = writeFile(dir, "good.txt", "fine\n");
    const auto bad = writeFile(dir, "bad.txt", {content.constData(), size_t(content.size())});
    auto corpus = Corpus::open({good, bad});
    QVERIFY(!corpus.isOk());
    QCOMPARE(corpus.status().code(), Status::Code::kCorrupt);
    for (const QString& part : expected.split('|')) {
      QVERIFY2(corpus.status().message().find(part.toStdString()) != std::string::npos,
               corpus.status().message().c_str());
    }
  }

  // Opened unread and checked in parts (as a sharded run's ranks do), a corpus gives open()'s line
  // counts and open()'s first error.
  void checkedInParts_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("good, no final newline") << QByteArray("one\ntwo three\n\nfour");
    QTest::newRow("invalid in the second part") << QByteArray("one\ntwo\nth\xE9ree\nfour\n");
    QTest::newRow("NUL in the first, invalid in the second")
        << QByteArray("one\nt\0wo\nth\xE9ree\nfour\n", 20);
  }
  void checkedInParts() {
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const auto first = writeFile(dir, "a.txt", "alpha\nbeta\n");
    const auto second = writeFile(dir, "b.txt", {content.constData(), size_t(content.size())});
    auto whole = Corpus::open({first, second});
    memlens::CorpusOptions unread;
    unread.checkText = false;
    auto parts = Corpus::open({first, second}, unread);
    QVERIFY2(parts.isOk(), parts.status().message().c_str());
    Corpus& c = **parts;
    // Parts at line starts: a.txt whole, b.txt up to its third line, the rest.
    const std::string_view text = c.document(1).text;
    const size_t cut = text.find('\n', text.find('\n') + 1) + 1;
    std::vector<uint64_t> newlines(2, 0);
    Status failed = Status::ok();
    for (auto [d, begin, end] :
         {std::tuple<size_t, size_t, size_t>{0, 0, 11}, {1, 0, cut}, {1, cut, text.size()}}) {
      auto counted = c.checkPart(d, begin, end);
      if (!counted) {
        failed = counted.status();
        break;
      }
      newlines[d] += *counted;
    }
    if (!whole) {
      QCOMPARE(failed.message(), whole.status().message());
      return;
    }
    QVERIFY2(failed.isOk(), failed.message().c_str());
    c.setNewlines(newlines);
    for (size_t d = 0; d < 2; ++d)
      QCOMPARE(c.document(d).lineCount, (*whole)->document(d).lineCount);
  }

  void missingAndEmptyFolder() {
    QTemporaryDir dir;
    auto missing = Corpus::open({dir.filePath("nope.txt").toStdString()});
    QCOMPARE(missing.status().code(), Status::Code::kNotFound);
    QVERIFY(missing.status().message().find("nope.txt") != std::string::npos);

    QVERIFY(QDir(dir.path()).mkpath("empty"));
    auto empty = Corpus::open({dir.filePath("empty").toStdString()});
    QCOMPARE(empty.status().code(), Status::Code::kNotFound);
    QVERIFY(empty.status().message().find("holds no files") != std::string::npos);

    auto none = Corpus::open({});
    QCOMPARE(none.status().code(), Status::Code::kInvalidArgument);
  }

  void cancelled() {
    QTemporaryDir dir;
    std::vector<std::string> paths;
    for (int i = 0; i < 5; ++i) paths.push_back(writeFile(dir, "f" + std::to_string(i), "x\n"));
    memlens::JobControl job;
    job.cancel();
    auto corpus = Corpus::open(paths, {}, &job);
    QVERIFY(corpus.status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
