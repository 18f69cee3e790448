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

  // The blocks of a sharded run, from line starts, numbered from the line they start at: in
  // order, they are the whole stream's lines and tokens.
  void blocksFromLineStartsAreTheWholeStream() {
    QTemporaryDir dir;
    const std::string a = "\xEF\xBB\xBFone two\n\nthree four five\nsix\n";
    const std::string b = "seven\neight nine";
    auto corpus = Corpus::open({writeFile(dir, "a.txt", a), writeFile(dir, "b.txt", b)});
    QVERIFY(corpus.isOk());
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto whole = TokenStream::tokenise(**corpus, tokeniser, vocab);
    QVERIFY(whole.isOk());
    // Blocks: a.txt lines 1-2, a.txt lines 3-4 and b.txt line 1, b.txt line 2 (byte offsets in
    // the text after the BOM), and an empty block at the end.
    using P = TokenStream::TextPosition;
    const P edges[] = {{0, 0}, {0, 9}, {1, 6}, {2, 0}, {2, 0}};
    const uint64_t firstLines[] = {1, 3, 2, 1};
    std::vector<uint32_t> ids;
    std::vector<std::pair<uint32_t, uint64_t>> lines;
    for (size_t i = 0; i < 4; ++i) {
      auto block = TokenStream::tokeniseBlock(**corpus, tokeniser, vocab, edges[i], edges[i + 1],
                                              firstLines[i]);
      QVERIFY2(block.isOk(), block.status().message().c_str());
      for (size_t t = 0; t < block->size(); ++t) {
        ids.push_back(block->id(t));
        QCOMPARE(block->position(t).byteOffset, whole->position(ids.size() - 1).byteOffset);
      }
      for (size_t l = 0; l < block->lineCount(); ++l)
        lines.emplace_back(block->line(l).document, block->line(l).number);
    }
    QCOMPARE(ids, std::vector<uint32_t>(whole->ids().begin(), whole->ids().end()));
    QCOMPARE(lines.size(), whole->lineCount());
    for (size_t l = 0; l < lines.size(); ++l) {
      QCOMPARE(lines[l].first, whole->line(l).document);
      QCOMPARE(lines[l].second, whole->line(l).number);
    }
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
