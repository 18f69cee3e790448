#include <QtTest>

#include "memlens/instance_builder.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::SpaceTokeniser;
using memlens::test::writeFile;

namespace {

// Renders instances as "f1 f2 … class" lines for comparison with hand-written expectations.
QStringList render(const InstanceSet& set, const Vocabulary& vocab) {
  QStringList lines;
  for (size_t i = 0; i < set.size(); ++i) {
    QStringList fields;
    for (uint32_t v : set.instance(i)) fields << QString::fromStdString(std::string(vocab.text(v)));
    fields << QString::fromStdString(std::string(vocab.text(set.classes[i])));
    lines << fields.join(' ');
  }
  return lines;
}

struct Fixture {
  QTemporaryDir dir;
  std::unique_ptr<Corpus> corpus;
  Vocabulary vocab;
  TokenStream tokens;
};

std::unique_ptr<Fixture> load(const std::vector<std::string>& files) {
  auto f = std::make_unique<Fixture>();
  std::vector<std::string> paths;
  for (size_t i = 0; i < files.size(); ++i) {
    paths.push_back(writeFile(f->dir, "doc" + std::to_string(i) + ".txt", files[i]));
  }
  f->corpus = std::move(*Corpus::open(paths));
  SpaceTokeniser tokeniser;
  f->tokens = std::move(*TokenStream::tokenise(*f->corpus, tokeniser, f->vocab));
  return f;
}

}  // namespace

class TestInstanceBuilder : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void lineBlocks() {
    auto f = load({"a b c\n\nd e\n"});
    WindowOptions options;
    options.width = 2;
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
    QVERIFY(set.isOk());
    QCOMPARE(render(*set, f->vocab), QStringList({"_ _ a", "_ a b", "a b c", "_ _ d", "_ d e"}));
    QCOMPARE(set->sources, (std::vector<uint64_t>{0, 1, 2, 3, 4}));
  }

  void olifantBlocks() {
    // Lines 1-2 form one block, the empty line starts another; a new document also does.
    // The last token of each block is never a target.
    auto f = load({"a b\nc\n\nd e f\n", "g h\n"});
    WindowOptions options;
    options.width = 3;
    options.blocks = BlockMode::kOlifant;
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
    QVERIFY(set.isOk());
    QCOMPARE(render(*set, f->vocab),
             QStringList({"_ _ _ a", "_ _ a b", "_ _ _ d", "_ _ d e", "_ _ _ g"}));
  }

  void widthOne() {
    auto f = load({"x y\n"});
    WindowOptions options;
    options.width = 1;
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
    QCOMPARE(render(*set, f->vocab), QStringList({"_ x", "x y"}));
  }

  void widthOutOfRange() {
    auto f = load({"x y\n"});
    for (int width : {0, 33, -1}) {
      WindowOptions options;
      options.width = width;
      auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
      QCOMPARE(set.status().code(), Status::Code::kInvalidArgument);
      QVERIFY(set.status().message().find("between 1 and 32") != std::string::npos);
    }
  }

  // Expectations from olifant-continuous-windowing itself (python3, its repository's
  // olifant/continuous_windowing.py, window 4 and 2): a one-token block yields nothing on its
  // own and its token opens the next block (the script empties its token list only after writing
  // an instance). This used to expect no instances at all for "a\n\nb\n".
  void olifantCarriesOneTokenBlocks() {
    auto f = load({"a\n\nb\n"});
    WindowOptions options;
    options.blocks = BlockMode::kOlifant;
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
    QVERIFY(set.isOk());
    QCOMPARE(render(*set, f->vocab), QStringList({"_ _ _ _ a"}));
    auto g = load({"x\n \ny\n\nz w v\n\nq\n"});
    options.width = 2;
    set = buildInstances(g->tokens, g->vocab.paddingId(), options);
    QVERIFY(set.isOk());
    QCOMPARE(render(*set, g->vocab), QStringList({"_ _ x", "_ _ z", "_ z w"}));
  }

  // Not across documents (the script reads one file), and a last one-token block yields nothing.
  void olifantWithOnlySingleTokenBlocksYieldsNothing() {
    auto f = load({"a\n", "b\n\nc\n"});
    WindowOptions options;
    options.blocks = BlockMode::kOlifant;
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), options);
    QVERIFY(set.isOk());
    QCOMPARE(render(*set, f->vocab), QStringList({"_ _ _ _ b"}));
    auto g = load({"a\n", "b\n"});
    set = buildInstances(g->tokens, g->vocab.paddingId(), options);
    QCOMPARE(set.status().code(), Status::Code::kInvalidArgument);
  }

  // A stream cut at any line start: the two parts, windowed with the block open at the cut
  // (openBlockAfter) and whether the first part's last block goes on, give the whole stream's
  // instances (as the ranks of a sharded run do: docs/spec/distributed.md). The cuts fall inside
  // blocks, before and after empty lines, next to carried one-token blocks and at documents;
  // an empty part at the cut windows nothing and passes the open block on.
  void olifantPartsWindowAsTheWhole() {
    auto f = load({"a b\nc\n\nd\n\n\ne f g h i\nj\n\nk\n", "l\n\nm n\no\n"});
    const int width = 3;
    const uint32_t padding = f->vocab.paddingId();
    WindowOptions options;
    options.width = width;
    options.blocks = BlockMode::kOlifant;
    auto whole = buildInstances(f->tokens, padding, options);
    QVERIFY(whole.isOk());
    SpaceTokeniser tokeniser;
    const auto part = [&](TokenStream::TextPosition begin, TokenStream::TextPosition end) {
      return std::move(*TokenStream::tokeniseBlock(*f->corpus, tokeniser, f->vocab, begin, end, 1));
    };
    const TokenStream::TextPosition first{0, 0};
    const TokenStream::TextPosition last{f->corpus->documentCount(), 0};
    int cuts = 0;
    for (size_t d = 0; d < f->corpus->documentCount(); ++d) {
      const std::string_view text = f->corpus->document(d).text;
      for (size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
        const TokenStream::TextPosition cut{d, at};
        const TokenStream head = part(first, cut);
        const TokenStream rest = part(cut, last);
        InstanceSet expectHead, expectRest;
        expectHead.width = expectRest.width = width;
        bool headContinues = false;
        for (size_t i = 0; i < whole->size(); ++i) {
          const bool inHead = whole->sources[i] < head.size();
          InstanceSet& into = inHead ? expectHead : expectRest;
          const auto v = whole->instance(i);
          into.features.insert(into.features.end(), v.begin(), v.end());
          into.classes.push_back(whole->classes[i]);
          into.sources.push_back(whole->sources[i] - (inHead ? 0 : head.size()));
          if (whole->sources[i] + 1 == head.size()) headContinues = true;
        }
        auto gotHead = buildPartInstances(head, padding, width, {}, headContinues);
        auto gotRest =
            buildPartInstances(rest, padding, width, openBlockAfter(head, {}, width), false);
        QVERIFY(gotHead.isOk() && gotRest.isOk());
        const QByteArray where = QByteArray::number(static_cast<qulonglong>(d)) + ":" +
                                 QByteArray::number(static_cast<qulonglong>(at));
        QVERIFY2(render(*gotHead, f->vocab) == render(expectHead, f->vocab), where);
        QVERIFY2(render(*gotRest, f->vocab) == render(expectRest, f->vocab), where);
        QVERIFY2(gotRest->sources == expectRest.sources, where);
        // A part without lines (more ranks than lines) has no targets, and passes the block on.
        const TokenStream none = part(cut, cut);
        const OpenBlock open = openBlockAfter(head, {}, width);
        for (bool continues : {false, true}) {
          auto nothing = buildPartInstances(none, padding, width, open, continues);
          QVERIFY2(nothing.isOk() && nothing->size() == 0, where);
        }
        const OpenBlock passed = openBlockAfter(none, open, width);
        QVERIFY2(passed.tokens == open.tokens && passed.tail == open.tail, where);
        ++cuts;
      }
    }
    QCOMPARE(cuts, 14);
  }

  void cancel() {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += "a b c\n";
    auto f = load({text});
    JobControl job;
    job.cancel();
    auto set = buildInstances(f->tokens, f->vocab.paddingId(), WindowOptions{}, &job);
    QVERIFY(set.status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestInstanceBuilder)
#include "tst_instance_builder.moc"
