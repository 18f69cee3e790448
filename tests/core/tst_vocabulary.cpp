#include <QtTest>

#include "memlens/vocabulary.h"

using memlens::Vocabulary;

class TestVocabulary : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void idsFollowFirstInterning() {
    Vocabulary v;
    QCOMPARE(v.intern("the"), 0u);
    QCOMPARE(v.intern("of"), 1u);
    QCOMPARE(v.intern("the"), 0u);
    QCOMPARE(v.size(), 2u);
    QCOMPARE(v.lookup("of"), 1u);
    QCOMPARE(v.lookup("missing"), Vocabulary::kUnknown);
    QCOMPARE(v.text(1), std::string_view("of"));
  }

  void textsStayValidAcrossGrowth() {
    Vocabulary v;
    const std::string_view first = v.text(v.intern("first"));
    const std::string big(100000, 'x');  // larger than one storage block
    for (int i = 0; i < 20000; ++i) v.intern("w" + std::to_string(i));
    v.intern(big);
    QCOMPARE(first, std::string_view("first"));
    QCOMPARE(v.text(v.lookup(big)).size(), big.size());
    QCOMPARE(v.lookup("w19999"), 20000u);
  }

  void countsAndPadding() {
    Vocabulary v;
    const uint32_t a = v.intern("a");
    v.addCount(a);
    v.addCount(a, 4);
    QCOMPARE(v.count(a), uint64_t{5});
    QCOMPARE(v.count(999), uint64_t{0});
    QCOMPARE(v.text(v.paddingId()), std::string_view("_"));
    QCOMPARE(v.paddingId(), v.lookup("_"));
  }

  void moveKeepsLookups() {
    Vocabulary v;
    v.intern("x");
    Vocabulary moved = std::move(v);
    QCOMPARE(moved.lookup("x"), 0u);
  }
};

QTEST_GUILESS_MAIN(TestVocabulary)
#include "tst_vocabulary.moc"
