// The "spaces" tokeniser (OLIFANT's pre-tokenised text) and OLIFANT windowing over it: the
// expected instances were written by olifant-continuous-windowing itself (python3, window 3).
#include <QtTest>

#include <string>
#include <vector>

#include "memlens/corpus.h"
#include "memlens/instance_builder.h"
#include "memlens/option_names.h"
#include "memlens/token_stream.h"
#include "memlens/tokeniser.h"
#include "test_support.h"

using namespace memlens;

namespace {

std::unique_ptr<Tokeniser> makeSpaceTokeniser() {
  TokeniserOptions options;
  options.kind = TokeniserKind::kSpaces;
  auto made = createTokeniser(options);
  if (!made) qFatal("createTokeniser: %s", made.status().toString().c_str());
  return std::move(made).value();
}

QStringList tokens(std::string_view text, std::vector<TokenSpan>* spans = nullptr) {
  Vocabulary vocab;
  std::vector<TokenSpan> out;
  makeSpaceTokeniser()->tokenise(text, vocab, out);
  QStringList texts;
  for (const TokenSpan& s : out) {
    texts << QString::fromStdString(std::string(vocab.text(s.id)));
    // A span covers exactly its token's bytes.
    if (text.substr(s.begin, s.length) != vocab.text(s.id)) texts << "<span mismatch>";
  }
  if (spans) *spans = out;
  return texts;
}

}  // namespace

class TestSpaceTokeniser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void name() {
    QCOMPARE(makeSpaceTokeniser()->name(), std::string("spaces"));
    bool listed = false;
    for (const auto& n : optionNames<TokeniserKind>())
      if (n.value == TokeniserKind::kSpaces) listed = n.name == "spaces";
    QVERIFY(listed);
  }

  // GPT-2 token strings stay verbatim, punctuation included; only white space splits.
  void keepsTokensVerbatim() {
    QCOMPARE(tokens("ĠIn Ġthe Ġbeginning, Ċ"), QStringList({"ĠIn", "Ġthe", "Ġbeginning,", "Ċ"}));
    QCOMPARE(tokens("don't  \"stop\"  _ (a)"), QStringList({"don't", "\"stop\"", "_", "(a)"}));
    QCOMPARE(tokens("   "), QStringList());
    std::vector<TokenSpan> spans;
    tokens("  ab c", &spans);
    QCOMPARE(spans.size(), size_t{2});
    QCOMPARE(spans[0].begin, 2u);
    QCOMPARE(spans[1].begin, 5u);
  }

  // What Python's str.split() splits on: ASCII white space, \x1c-\x1f, U+0085, U+00A0, the
  // Unicode spaces; not U+200B or U+FEFF (not white space to Python).
  void splitsWherePythonDoes() {
    QCOMPARE(tokens("a\tb\x1c"
                    "c\xc2\xa0"
                    "d\xe3\x80\x80"
                    "e\xc2\x85"
                    "f"),
             QStringList({"a", "b", "c", "d", "e", "f"}));
    QCOMPARE(tokens("a\xe2\x80\x8b"
                    "b\xef\xbb\xbf"
                    "c"),
             QStringList({"a\xe2\x80\x8b"
                          "b\xef\xbb\xbf"
                          "c"}));
  }

  void olifantWindowing() {
    QTemporaryDir dir;
    const std::string path = test::writeFile(
        dir, "tok.txt",
        "ĠIn Ġthe Ġbeginning Ċ\nGod Ġcreated\n\nĠsolo\n \t\nĠthe Ġheaven,\tĠand\xc2\xa0"
        "Ġearth Ċ\n\nĠx\n");
    auto corpus = Corpus::open({path});
    QVERIFY(corpus);
    auto tokeniser = makeSpaceTokeniser();
    Vocabulary vocab = tokeniser->makeVocabulary();
    auto stream = TokenStream::tokenise(**corpus, *tokeniser, vocab);
    QVERIFY(stream);
    WindowOptions options;
    options.width = 3;
    options.blocks = BlockMode::kOlifant;
    auto set = buildInstances(*stream, vocab.paddingId(), options);
    QVERIFY(set);
    QStringList lines;
    for (size_t i = 0; i < set->size(); ++i) {
      QStringList fields;
      for (uint32_t v : set->instance(i))
        fields << QString::fromStdString(std::string(vocab.text(v)));
      fields << QString::fromStdString(std::string(vocab.text(set->classes[i])));
      lines << fields.join(' ');
    }
    QCOMPARE(lines, QStringList({"_ _ _ ĠIn", "_ _ ĠIn Ġthe", "_ ĠIn Ġthe Ġbeginning",
                                 "ĠIn Ġthe Ġbeginning Ċ", "Ġthe Ġbeginning Ċ God", "_ _ _ Ġsolo",
                                 "_ _ Ġsolo Ġthe", "_ Ġsolo Ġthe Ġheaven,",
                                 "Ġsolo Ġthe Ġheaven, Ġand", "Ġthe Ġheaven, Ġand Ġearth"}));
  }
};

QTEST_GUILESS_MAIN(TestSpaceTokeniser)
#include "tst_space_tokeniser.moc"
