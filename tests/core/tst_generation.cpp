#include <QtTest>

#include "memlens/generation.h"
#include "memlens/usage_census.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::writeFile;

class TestGeneration : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::shared_ptr<TokenisedCorpus> corpus_;

  std::unique_ptr<Experiment> experiment(Algorithm algorithm) {
    ExperimentOptions o;
    o.window.width = 2;
    o.classifier.algorithm = algorithm;
    auto e = Experiment::run(corpus_, o);
    if (!e) qFatal("%s", e.status().message().c_str());
    return std::move(*e);
  }

  QStringList words(const std::vector<GeneratedToken>& tokens) {
    QStringList out;
    for (const GeneratedToken& t : tokens)
      out << QString::fromStdString(std::string(corpus_->vocab.text(t.id)));
    return out;
  }

 private Q_SLOTS:
  void initTestCase() {
    std::string text;
    for (int i = 0; i < 200; ++i)
      text += i % 2 ? "one two three four five six\n" : "red green blue\n";
    auto c = TokenisedCorpus::load({writeFile(dir_, "c.txt", text)}, {});
    QVERIFY(c.isOk());
    corpus_ = std::move(*c);
  }

  void encodeLooksUpWithoutGrowing() {
    const uint32_t before = corpus_->vocab.size();
    auto ids = corpus_->encode("two three zebra");
    QVERIFY(ids.isOk());
    QCOMPARE(ids->size(), size_t{3});
    QCOMPARE((*ids)[0], corpus_->vocab.lookup("two"));
    QCOMPARE((*ids)[2], Vocabulary::kUnknown);
    QCOMPARE(corpus_->vocab.size(), before);
  }

  void greedyFollowsTheOnlyContinuation() {
    for (Algorithm a : {Algorithm::kIgTree, Algorithm::kIb1, Algorithm::kTribl2}) {
      auto e = experiment(a);
      auto prompt = corpus_->encode("one two");
      GenerationOptions o;
      o.tokens = 4;
      auto out = generate(*e, *prompt, o);
      QVERIFY(out.isOk());
      QCOMPARE(words(*out), QStringList({"three", "four", "five", "six"}));
      for (const GeneratedToken& t : *out) QVERIFY(t.probability > 0.5 && t.probability < 1.0);
      QCOMPARE((*out)[0].context, *prompt);
    }
  }

  void samplingIsSeededAndStaysInVocabulary() {
    auto e = experiment(Algorithm::kIgTree);
    auto prompt = corpus_->encode("red");
    GenerationOptions o;
    o.tokens = 30;
    o.topK = 5;
    auto first = generate(*e, *prompt, o);
    auto again = generate(*e, *prompt, o);
    QVERIFY(first.isOk());
    QCOMPARE(words(*first), words(*again));
    for (const GeneratedToken& t : *first) {
      QVERIFY(t.id < corpus_->vocab.size());
      QVERIFY(t.probability > 0.0);
    }
    QCOMPARE(generate(*e, *prompt, {5, -1, 1}).status().code(), Status::Code::kInvalidArgument);
  }

  // Train: (p q) -> A twice, (p r) -> B. Feature 1 is always p, so its weight is 0.
  //   probe (p q) A: nearest (p q), backs A with 2 of 2  -> +1
  //   probe (p q) B: nearest (p q), backs rival A        -> -1
  //   probe (z r) B: nearest (p r) at distance 0 (weight 0 mismatch), backs B -> +1
  void usageCensusByHand() {
    Vocabulary v;
    InstanceSet train, probe;
    train.width = probe.width = 2;
    auto add = [&](InstanceSet& s, const char* f1, const char* f2, const char* c) {
      s.features.push_back(v.intern(f1));
      s.features.push_back(v.intern(f2));
      s.classes.push_back(v.intern(c));
      s.sources.push_back(s.classes.size());
    };
    add(train, "p", "q", "A");
    add(train, "p", "q", "A");
    add(train, "p", "r", "B");
    add(probe, "p", "q", "A");
    add(probe, "p", "q", "B");
    add(probe, "z", "r", "B");
    auto ib1 = createClassifier({});
    QVERIFY((*ib1)->train(train).isOk());
    auto usage = usageCensus(**ib1, probe);
    QVERIFY2(usage.isOk(), usage.status().message().c_str());
    const uint32_t pq = (*ib1)->memory().find(train.instance(0));
    const uint32_t pr = (*ib1)->memory().find(train.instance(2));
    QCOMPARE((*usage)[pq].neighbourCount, 2u);
    QCOMPARE((*usage)[pq].credit, 0.0);
    QCOMPARE((*usage)[pr].neighbourCount, 1u);
    QCOMPARE((*usage)[pr].credit, 1.0);

    ClassifierOptions tree;
    tree.algorithm = Algorithm::kIgTree;
    auto igtree = createClassifier(tree);
    QVERIFY((*igtree)->train(train).isOk());
    QCOMPARE(usageCensus(**igtree, probe).status().code(), Status::Code::kInvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestGeneration)
#include "tst_generation.moc"
