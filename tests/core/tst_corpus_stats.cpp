#include <QtTest>

#include "memlens/corpus_stats.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::SpaceTokeniser;
using memlens::test::writeFile;

class TestCorpusStats : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void countsByHand() {
    QTemporaryDir dir;
    auto corpus =
        Corpus::open({writeFile(dir, "a.txt", "a b a\n\nc\n"), writeFile(dir, "b.txt", "b d b b")});
    QVERIFY(corpus.isOk());
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto tokens = TokenStream::tokenise(**corpus, tokeniser, vocab);
    QVERIFY(tokens.isOk());
    const CorpusStats s = CorpusStats::compute(**corpus, *tokens, vocab, 3);

    QCOMPARE(s.documents, uint64_t{2});
    QCOMPARE(s.bytes, uint64_t{9 + 7});
    QCOMPARE(s.lines, uint64_t{4});
    QCOMPARE(s.emptyLines, uint64_t{1});
    QCOMPARE(s.tokens, uint64_t{8});
    QCOMPARE(s.types, uint64_t{4});    // a b c d
    QCOMPARE(s.hapaxes, uint64_t{2});  // c d
    QCOMPARE(s.perDocument[0].tokens, uint64_t{4});
    QCOMPARE(s.perDocument[0].types, uint64_t{3});
    QCOMPARE(s.perDocument[1].types, uint64_t{2});
    QCOMPARE(s.perDocument[1].lines, uint64_t{1});

    // b: 4, a: 2, then c and d once each: c was interned first.
    QCOMPARE(s.topTypes.size(), size_t{3});
    QCOMPARE(s.topTypes[0], std::make_pair(std::string("b"), uint64_t{4}));
    QCOMPARE(s.topTypes[1], std::make_pair(std::string("a"), uint64_t{2}));
    QCOMPARE(s.topTypes[2], std::make_pair(std::string("c"), uint64_t{1}));

    // Types after 1, 2, 3, ... tokens: a, ab, ab, abc, abc, abcd, ...
    QVERIFY(!s.typeTokenCurve.empty());
    QCOMPARE(s.typeTokenCurve.back(), std::make_pair(uint64_t{8}, uint64_t{4}));
    const std::map<uint64_t, uint64_t> expected = {{1, 1}, {2, 2}, {3, 2}, {4, 3},
                                                   {5, 3}, {6, 4}, {7, 4}, {8, 4}};
    for (const auto& [tokensRead, types] : s.typeTokenCurve) {
      QCOMPARE(types, expected.at(tokensRead));
    }
  }

  void curveIsLogSpacedOnLargeInput() {
    QTemporaryDir dir;
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "w" + std::to_string(i % 5000) + " ";
    auto corpus = Corpus::open({writeFile(dir, "big.txt", text)});
    SpaceTokeniser tokeniser;
    Vocabulary vocab;
    auto tokens = TokenStream::tokenise(**corpus, tokeniser, vocab);
    const CorpusStats s = CorpusStats::compute(**corpus, *tokens, vocab);
    QVERIFY(s.typeTokenCurve.size() > 50 && s.typeTokenCurve.size() < 120);
    QCOMPARE(s.typeTokenCurve.back(), std::make_pair(uint64_t{100000}, uint64_t{5000}));
    for (size_t i = 1; i < s.typeTokenCurve.size(); ++i) {
      QVERIFY(s.typeTokenCurve[i].first > s.typeTokenCurve[i - 1].first);
      QVERIFY(s.typeTokenCurve[i].second >= s.typeTokenCurve[i - 1].second);
    }
  }
};

QTEST_GUILESS_MAIN(TestCorpusStats)
#include "tst_corpus_stats.moc"
