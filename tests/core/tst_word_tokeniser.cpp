#include <QTest>

#include <string>
#include <string_view>
#include <vector>

#include "memlens/tokeniser.h"

using namespace memlens;

namespace {

std::unique_ptr<Tokeniser> makeWordTokeniser(bool lowercase) {
  TokeniserOptions options;
  options.kind = TokeniserKind::kWord;
  options.lowercase = lowercase;
  auto made = createTokeniser(options);
  if (!made) qFatal("createTokeniser: %s", made.status().toString().c_str());
  return std::move(made).value();
}

QByteArrayList tokenTexts(const Vocabulary& vocab, const std::vector<TokenSpan>& spans) {
  QByteArrayList texts;
  for (const TokenSpan& span : spans) {
    const std::string_view text = vocab.text(span.id);
    texts.append(QByteArray(text.data(), static_cast<qsizetype>(text.size())));
  }
  return texts;
}

}  // namespace

class TestWordTokeniser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void names();
  void splits_data();
  void splits();
  void lowercases_data();
  void lowercases();
  void spansPointAtOriginalBytes();
  void internsWithoutCounting();
  void appendsToExistingTokens();
};

void TestWordTokeniser::names() {
  QCOMPARE(makeWordTokeniser(false)->name(), std::string("word"));
  QCOMPARE(makeWordTokeniser(true)->name(), std::string("word-lowercase"));
  QCOMPARE(makeWordTokeniser(false)->makeVocabulary().size(), 0u);
}

// Expected tokens are worked out by hand from the rules in word_tokeniser.h.
void TestWordTokeniser::splits_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QByteArrayList>("tokens");

  QTest::newRow("empty") << QByteArray("") << QByteArrayList{};
  QTest::newRow("only white space")
      << QByteArray(" \t\r\n\v\f\u00a0\u3000\u2028") << QByteArrayList{};
  QTest::newRow("english") << QByteArray("In the beginning God created the heaven and the earth.")
                           << QByteArrayList{"In",      "the",   "beginning", "God",
                                             "created", "the",   "heaven",    "and",
                                             "the",     "earth", "."};
  QTest::newRow("punctuation runs")
      << QByteArray("\"Hello,\" she said...(really?)")
      << QByteArrayList{"\"", "Hello", ",", "\"",     "she", "said", ".",
                        ".",  ".",     "(", "really", "?",   ")"};
  QTest::newRow("apostrophes")
      << QByteArray("don't can\u2019t 'tis o' rock'n'roll it''s the boys' x'")
      << QByteArrayList{"don't", "can\u2019t", "'", "tis", "o",    "'", "rock'n'roll", "it",
                        "'",     "'",          "s", "the", "boys", "'", "x",           "'"};
  QTest::newRow("hyphens") << QByteArray("Beer-sheba well-known -dash dash- a--b 1-2 a-\u00e9")
                           << QByteArrayList{"Beer-sheba", "well-known", "-",   "dash",
                                             "dash",       "-",          "a",   "-",
                                             "-",          "b",          "1-2", "a-\u00e9"};
  QTest::newRow("other dashes split")
      << QByteArray("a\u2014b c\u2013d e_f")
      << QByteArrayList{"a", "\u2014", "b", "c", "\u2013", "d", "e", "_", "f"};
  QTest::newRow("accented") << QByteArray("caf\u00e9 na\u00efve \u00c5ngstr\u00f6m Stra\u00dfe")
                            << QByteArrayList{"caf\u00e9", "na\u00efve", "\u00c5ngstr\u00f6m",
                                              "Stra\u00dfe"};
  QTest::newRow("combining marks stay in words")
      << QByteArray("cafe\u0301 \u0301x na\u0308ive")
      << QByteArrayList{"cafe\u0301", "\u0301x", "na\u0308ive"};
  QTest::newRow("greek and cyrillic")
      << QByteArray(
             "\u1f18\u03bd \u1f00\u03c1\u03c7\u1fc7 \u1f26\u03bd \u1f41 "
             "\u03bb\u03cc\u03b3\u03bf\u03c2, "
             "\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440!")
      << QByteArrayList{"\u1f18\u03bd",
                        "\u1f00\u03c1\u03c7\u1fc7",
                        "\u1f26\u03bd",
                        "\u1f41",
                        "\u03bb\u03cc\u03b3\u03bf\u03c2",
                        ",",
                        "\u041f\u0440\u0438\u0432\u0435\u0442",
                        ",",
                        "\u043c\u0438\u0440",
                        "!"};
  // No dictionary segmentation: a run of ideographs and kana is one word.
  QTest::newRow("cjk")
      << QByteArray("\u65e5\u672c\u8a9e\u306e\u672c\u3002\u4e2d\u6587\uff0c\u6807\u70b9\uff01")
      << QByteArrayList{"\u65e5\u672c\u8a9e\u306e\u672c",
                        "\u3002",
                        "\u4e2d\u6587",
                        "\uff0c",
                        "\u6807\u70b9",
                        "\uff01"};
  QTest::newRow("devanagari and arabic")
      << QByteArray("\u0928\u092e\u0938\u094d\u0924\u0947 \u0645\u0631\u062d\u0628\u0627\u060c")
      << QByteArrayList{"\u0928\u092e\u0938\u094d\u0924\u0947", "\u0645\u0631\u062d\u0628\u0627",
                        "\u060c"};
  // Heart + U+FE0F (a mark) is one token; a skin tone (Sk) and ZWJ (Cf) are tokens of their own.
  QTest::newRow("emoji")
      << QByteArray(
             "I \u2764\ufe0f NY \U0001f44d\U0001f3fd! \U0001f468\u200d\U0001f469 1\ufe0f\u20e3")
      << QByteArrayList{"I", "\u2764\ufe0f", "NY",     "\U0001f44d", "\U0001f3fd",
                        "!", "\U0001f468",   "\u200d", "\U0001f469", "1\ufe0f\u20e3"};
  QTest::newRow("digits")
      << QByteArray("3.14 1,000 H2O 2nd \u0661\u0662 \u216b\u00bd x\u00b2")
      << QByteArrayList{
             "3",      ".", "14", "1", ",", "000", "H2O", "2nd", "\u0661\u0662", "\u216b\u00bd",
             "x\u00b2"};
  QTest::newRow("white space kinds") << QByteArray("a\tb\u00a0c\u3000d\u2028e\u202ff  g\r\n")
                                     << QByteArrayList{"a", "b", "c", "d", "e", "f", "g"};
  QTest::newRow("zero width is not space")
      << QByteArray("a\u200bb") << QByteArrayList{"a", "\u200b", "b"};
  QTest::newRow("astral letters") << QByteArray("\U0001d400\U0001d401 \U00020000x")
                                  << QByteArrayList{"\U0001d400\U0001d401", "\U00020000x"};
}

void TestWordTokeniser::splits() {
  QFETCH(QByteArray, text);
  QFETCH(QByteArrayList, tokens);
  auto tokeniser = makeWordTokeniser(false);
  Vocabulary vocab;
  std::vector<TokenSpan> spans;
  tokeniser->tokenise(std::string_view(text.constData(), text.size()), vocab, spans);
  QCOMPARE(tokenTexts(vocab, spans), tokens);
  for (const TokenSpan& span : spans) {
    QCOMPARE(text.mid(span.begin, span.length),
             QByteArray(vocab.text(span.id).data(), vocab.text(span.id).size()));
  }
}

// Simple (one-to-one) lowercase mapping: no final-sigma rule, so Σ always becomes σ.
void TestWordTokeniser::lowercases_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QByteArrayList>("tokens");
  QTest::newRow("ascii") << QByteArray("HELLO World, it's ME")
                         << QByteArrayList{"hello", "world", ",", "it's", "me"};
  QTest::newRow("french") << QByteArray("\u00c9COLE \u00c9t\u00c9")
                          << QByteArrayList{"\u00e9cole", "\u00e9t\u00e9"};
  QTest::newRow("greek") << QByteArray("\u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3")
                         << QByteArrayList{"\u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c3"};
  QTest::newRow("cyrillic") << QByteArray("\u041f\u0420\u0418\u0412\u0415\u0422")
                            << QByteArrayList{"\u043f\u0440\u0438\u0432\u0435\u0442"};
  QTest::newRow("dotted capital I and titlecase dz")
      << QByteArray("\u0130stanbul \u01c5em \u01c4")
      << QByteArrayList{"istanbul", "\u01c6em", "\u01c6"};
  QTest::newRow("uncased and sharp s")
      << QByteArray("Stra\u00dfe \u65e5\u672c 42 \U0001d400")
      << QByteArrayList{"stra\u00dfe", "\u65e5\u672c", "42", "\U0001d400"};
  QTest::newRow("deseret astral case")
      << QByteArray("\U00010400\U00010401") << QByteArrayList{"\U00010428\U00010429"};
}

void TestWordTokeniser::lowercases() {
  QFETCH(QByteArray, text);
  QFETCH(QByteArrayList, tokens);
  auto tokeniser = makeWordTokeniser(true);
  Vocabulary vocab;
  std::vector<TokenSpan> spans;
  tokeniser->tokenise(std::string_view(text.constData(), text.size()), vocab, spans);
  QCOMPARE(tokenTexts(vocab, spans), tokens);
}

void TestWordTokeniser::spansPointAtOriginalBytes() {
  // "n\u00e9" is 3 bytes, "\u00c9COLE" 6, "\U0001f44d" 4.
  const std::string text = "n\u00e9 \u00c9COLE!\t\U0001f44d";
  auto tokeniser = makeWordTokeniser(true);
  Vocabulary vocab;
  std::vector<TokenSpan> spans;
  tokeniser->tokenise(text, vocab, spans);
  QCOMPARE(spans.size(), size_t{4});
  const uint32_t expected[4][2] = {{0, 3}, {4, 6}, {10, 1}, {12, 4}};
  for (size_t i = 0; i < 4; ++i) {
    QCOMPARE(spans[i].begin, expected[i][0]);
    QCOMPARE(spans[i].length, expected[i][1]);
  }
  QCOMPARE(text.substr(spans[1].begin, spans[1].length), std::string("\u00c9COLE"));
  QCOMPARE(vocab.text(spans[1].id), std::string_view("\u00e9cole"));
}

void TestWordTokeniser::internsWithoutCounting() {
  auto tokeniser = makeWordTokeniser(false);
  Vocabulary vocab;
  std::vector<TokenSpan> spans;
  tokeniser->tokenise("the cat and the hat", vocab, spans);
  QCOMPARE(vocab.size(), 4u);
  QCOMPARE(spans[0].id, spans[3].id);
  for (uint32_t id = 0; id < vocab.size(); ++id) QCOMPARE(vocab.count(id), uint64_t{0});
}

void TestWordTokeniser::appendsToExistingTokens() {
  auto tokeniser = makeWordTokeniser(false);
  Vocabulary vocab;
  std::vector<TokenSpan> spans;
  tokeniser->tokenise("one two", vocab, spans);
  tokeniser->tokenise("two three", vocab, spans);
  QCOMPARE(tokenTexts(vocab, spans), (QByteArrayList{"one", "two", "two", "three"}));
  QCOMPARE(spans[3].begin, 4u);  // offsets are relative to each call's text
}

QTEST_GUILESS_MAIN(TestWordTokeniser)
#include "tst_word_tokeniser.moc"
