#include <QtTest>

#include "memlens/token_stream.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::SpaceTokeniser;
using memlens::test::writeFile;

class TestTokenStream : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void provenancePointsAtTheTokenBytes() {
    QTemporaryDir dir;
    const std::string a =
        "\xEF\xBB\xBF"
        "in the  beginning\r\n\n  god said\n";
    const std::string b = "let there\nbe light";
    auto corpus = Corpus::open({writeFile(dir, "a.txt", a), writeFile(dir, "b.txt", b)});
    QVERIFY(corpus.isOk());
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto stream = TokenStream::tokenise(**corpus, tokeniser, vocab);
    QVERIFY2(stream.isOk(), stream.status().message().c_str());

    const std::vector<std::string> expected = {"in",  "the",   "beginning", "god",  "said",
                                               "let", "there", "be",        "light"};
    QCOMPARE(stream->size(), expected.size());
    const std::string files[] = {a, b};
    for (size_t t = 0; t < expected.size(); ++t) {
      QCOMPARE(std::string(vocab.text(stream->id(t))), expected[t]);
      const TokenPosition p = stream->position(t);
      QCOMPARE(files[p.document].substr(p.byteOffset, p.length), expected[t]);
    }
    // "god" is on line 3 of a.txt (line 2 is empty); "\r" is not part of "beginning".
    QCOMPARE(stream->position(3).document, 0u);
    QCOMPARE(stream->position(3).line, uint64_t{3});
    QCOMPARE(stream->position(2).length, 9u);
    QCOMPARE(stream->position(8).document, 1u);
    QCOMPARE(stream->position(8).line, uint64_t{2});
    QCOMPARE(stream->lineCount(), size_t{5});  // 3 lines in a.txt, 2 in b.txt
    QCOMPARE(stream->lineOf(3), size_t{2});
    QCOMPARE(vocab.count(vocab.lookup("the")), uint64_t{1});
  }

  void whiteSpaceOnlyCorpusIsAnError() {
    QTemporaryDir dir;
    auto corpus = Corpus::open({writeFile(dir, "blank.txt", "  \n\n   \n")});
    QVERIFY(corpus.isOk());
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto stream = TokenStream::tokenise(**corpus, tokeniser, vocab);
    QVERIFY(!stream.isOk());
    QVERIFY(stream.status().message().find("no tokens") != std::string::npos);
  }

  void cancelFromProgressCallback() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "w" + std::to_string(i % 97) + " x\n";
    auto corpus = Corpus::open({writeFile(dir, "big.txt", text)});
    QVERIFY(corpus.isOk());
    JobControl* self = nullptr;
    int calls = 0;
    JobControl job(
        [&](double, const std::string&) {
          if (++calls == 2) self->cancel();
        },
        std::chrono::milliseconds(0));
    self = &job;
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto stream = TokenStream::tokenise(**corpus, tokeniser, vocab, &job);
    QVERIFY(stream.status().isCancelled());
    QCOMPARE(calls, 2);
  }
};

QTEST_GUILESS_MAIN(TestTokenStream)
#include "tst_token_stream.moc"
