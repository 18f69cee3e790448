#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <functional>

#include "cli_runner.h"
#include "memlens/trace.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::CliRun;
using memlens::test::kjvHead;
using memlens::test::runCli;
using memlens::test::writeFile;

// `memlens-cli generate` against the core API: the CLI trains with the same defaults as an
// in-process Experiment, so every generated token can be recomputed step by step here.
class TestCliGenerate : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString path_;
  std::shared_ptr<TokenisedCorpus> corpus_;
  static constexpr const char* kPrompt = "and God said";

  // The experiment the CLI builds by default (width 4, split 0.8/0.1 seed 1, 1000 test tokens).
  std::unique_ptr<Experiment> experiment(Algorithm algorithm) {
    ExperimentOptions o;
    o.classifier.algorithm = algorithm;
    o.maxTestTokens = 1000;
    auto e = Experiment::run(corpus_, o);
    if (!e) qFatal("%s", e.status().message().c_str());
    return std::move(*e);
  }

  static QJsonArray tokensOf(const CliRun& r) {
    return QJsonDocument::fromJson(r.out).object()["tokens"].toArray();
  }

  // Walks the generated tokens with the core API: `check(step, context, prediction, id)` for
  // each, the context being the prompt plus the tokens before it.
  void replay(const Experiment& e, const QJsonArray& tokens,
              const std::function<void(const QJsonObject&, const std::vector<uint32_t>&,
                                       const Prediction&, uint32_t)>& check) {
    std::vector<uint32_t> text = *corpus_->encode(kPrompt);
    PredictOptions withNeighbours;
    withNeighbours.neighbours = true;
    for (const QJsonValue& v : tokens) {
      const QJsonObject step = v.toObject();
      const std::vector<uint32_t> context =
          contextWindow(text, e.record().options.window.width, corpus_->paddingId);
      const Prediction p = e.classifier().predictOne(context, withNeighbours);
      const uint32_t id = corpus_->vocab.lookup(step["token"].toString().toStdString());
      QVERIFY2(id != Vocabulary::kUnknown, qPrintable(step["token"].toString()));
      check(step, context, p, id);
      if (QTest::currentTestFailed()) return;
      text.push_back(id);
    }
  }

 private Q_SLOTS:
  void initTestCase() {
    const std::string kjv = kjvHead(3000);
    QVERIFY2(!kjv.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
    path_ = QString::fromStdString(writeFile(dir_, "kjv3000.txt", kjv));
    auto c = TokenisedCorpus::load({path_.toStdString()}, {});
    QVERIFY(c.isOk());
    corpus_ = std::move(*c);
  }

  void greedyChainsTheMemorysPredictions_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int>("algorithm");
    QTest::newRow("ib1") << "ib1" << int(Algorithm::kIb1);
    QTest::newRow("igtree") << "igtree" << int(Algorithm::kIgTree);
    QTest::newRow("tribl2") << "tribl2" << int(Algorithm::kTribl2);
  }
  void greedyChainsTheMemorysPredictions() {
    QFETCH(QString, model);
    QFETCH(int, algorithm);
    const CliRun r = runCli(
        {"generate", "--model", model, "--tokens", "15", "--json", path_, "--prompt", kPrompt});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonArray tokens = tokensOf(r);
    QCOMPARE(tokens.size(), 15);
    auto e = experiment(static_cast<Algorithm>(algorithm));
    const MemorySmoother smoother = e->smoother();
    replay(*e, tokens,
           [&](const QJsonObject& step, const std::vector<uint32_t>& context, const Prediction& p,
               uint32_t id) {
             QCOMPARE(id, p.classId);
             QCOMPARE(step["prediction"].toString(), step["token"].toString());
             QCOMPARE(step["matchDepth"].toInt(), p.matchDepth);
             QVERIFY(std::abs(step["distance"].toDouble() - p.distance) < 1e-9);
             size_t neighbours = 0;
             for (const NeighbourBucket& b : p.neighbours) neighbours += b.storedVectors.size();
             QCOMPARE(step["neighbours"].toInteger(), qint64(neighbours));
             const double expected = smoother.probability(p, context, id);
             QVERIFY(std::abs(step["probability"].toDouble() - expected) <= 1e-9 * expected);
           });
  }

  // The same seed gives the same text, and every sampled token is one of the k most probable
  // under the smoothed distribution, reported with its probability.
  void samplingIsSeededAndStaysInTopK() {
    const QStringList args = {"generate",      "--model",  "ib1",      "--top-k", "3",
                              "--sample-seed", "7",        "--tokens", "25",      "--json",
                              path_,           "--prompt", kPrompt};
    const CliRun first = runCli(args);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QCOMPARE(runCli(args).out, first.out);
    const QJsonArray tokens = tokensOf(first);
    QCOMPARE(tokens.size(), 25);
    auto e = experiment(Algorithm::kIb1);
    const MemorySmoother smoother = e->smoother();
    int notTheMemorysChoice = 0;
    replay(*e, tokens,
           [&](const QJsonObject& step, const std::vector<uint32_t>& context, const Prediction& p,
               uint32_t id) {
             std::vector<double> dense;
             smoother.distribution(p, context, dense);
             dense.pop_back();  // the unknown outcome is never emitted
             std::vector<double> sorted = dense;
             std::nth_element(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<>());
             QVERIFY2(dense[id] >= sorted[2], qPrintable(step["token"].toString()));
             QVERIFY(std::abs(step["probability"].toDouble() - dense[id]) <= 1e-9 * dense[id]);
             QCOMPARE(step["prediction"].toString(),
                      QString::fromUtf8(corpus_->vocab.text(p.classId).data(),
                                        qsizetype(corpus_->vocab.text(p.classId).size())));
             if (id != p.classId) ++notTheMemorysChoice;
           });
    QVERIFY(notTheMemorysChoice > 0);  // it did sample
  }

  void textShowsTheContinuationAndOneLinePerToken() {
    const CliRun r =
        runCli({"generate", "--model", "tribl2", "--tokens", "5", path_, "--prompt", kPrompt});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY(lines[0].startsWith("prompt:       and God said"));
    QVERIFY(lines[1].startsWith("continuation: "));
    QCOMPARE(lines.size(), 2 + 1 + 1 + 5);  // blank line, header, one line per token
    QCOMPARE(lines[1].mid(14).split(' ').size(), 5);
  }

  void badArguments_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no prompt") << QStringList{"generate", "x.txt"} << 2 << "--prompt is required";
    // PATH may be left out for --memory FILE; without either, the command says both.
    QTest::newRow("no corpus") << QStringList{"generate", "--prompt", "a"} << 2
                               << "give the corpus PATH... to train on, or --memory FILE";
    QTest::newRow("negative top-k")
        << QStringList{"generate", "--top-k", "-1", "x.txt", "--prompt", "a"} << 2 << "--top-k";
    QTest::newRow("no tokens") << QStringList{"generate", "--tokens", "0", "x.txt", "--prompt", "a"}
                               << 2 << "--tokens";
    QTest::newRow("unknown option")
        << QStringList{"generate", "--colour", "2", "x.txt"} << 2 << "unknown option --colour";
    QTest::newRow("bad model") << QStringList{"generate", "--model",  "gpt",
                                              "x.txt",    "--prompt", "a"}
                               << 2 << "--model";
    QTest::newRow("missing file") << QStringList{"generate", "/no/such.txt", "--prompt", "a"} << 1
                                  << "/no/such.txt";
  }
  void badArguments() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const CliRun r = runCli(args);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "tst_cli_generate.moc"
