#include <QtTest>

#include "unicode/utf8.h"

using memlens::findInvalidUtf8;

class TestUtf8 : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void valid_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("ascii, longer than a word") << QByteArray("In the beginning God created");
    QTest::newRow("two-byte") << QByteArray("caf\xC3\xA9 na\xC3\xAFve");
    QTest::newRow("three-byte") << QByteArray("\xE2\x80\x99 \xE4\xB8\xAD\xE6\x96\x87");
    QTest::newRow("four-byte emoji") << QByteArray("ok \xF0\x9F\x98\x80!");
    QTest::newRow("max code point") << QByteArray("\xF4\x8F\xBF\xBF");
    QTest::newRow("last before surrogates") << QByteArray("\xED\x9F\xBF");
  }
  void valid() {
    QFETCH(QByteArray, text);
    QCOMPARE(findInvalidUtf8({text.constData(), static_cast<size_t>(text.size())}),
             std::string_view::npos);
  }

  void invalid_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("offset");
    QTest::newRow("lone continuation") << QByteArray("abc\x80") << 3;
    QTest::newRow("latin-1 e acute after 9 ascii") << QByteArray("123456789\xE9t\xE9") << 9;
    QTest::newRow("overlong slash") << QByteArray("a\xC0\xAF") << 1;
    QTest::newRow("overlong 3-byte") << QByteArray("\xE0\x80\xAF") << 0;
    QTest::newRow("surrogate") << QByteArray("xy\xED\xA0\x80") << 2;
    QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0;
    QTest::newRow("truncated at end") << QByteArray("ok \xE2\x80") << 3;
    QTest::newRow("F5 lead") << QByteArray("\xF5\x80\x80\x80") << 0;
    QTest::newRow("bad second continuation") << QByteArray("\xE2\x28\xA1") << 0;
  }
  void invalid() {
    QFETCH(QByteArray, text);
    QFETCH(int, offset);
    QCOMPARE(findInvalidUtf8({text.constData(), static_cast<size_t>(text.size())}),
             static_cast<size_t>(offset));
  }

  void lineColumn() {
    const std::string_view text = "ab\ncde\n\nfg";
    QCOMPARE(memlens::lineColumnAt(text, 0).line, size_t{1});
    QCOMPARE(memlens::lineColumnAt(text, 4).line, size_t{2});
    QCOMPARE(memlens::lineColumnAt(text, 4).byteInLine, size_t{1});
    QCOMPARE(memlens::lineColumnAt(text, 8).line, size_t{4});
    QCOMPARE(memlens::lineColumnAt(text, 8).byteInLine, size_t{0});
  }
};

QTEST_GUILESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
