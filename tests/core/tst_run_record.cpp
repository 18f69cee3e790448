#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>

#include "memlens/experiment.h"
#include "memlens/tokeniser.h"
#include "small_experiment.h"

using namespace memlens;

// The run record's lookup-latency summary, against the per-token latencies of the same
// experiment's report.
class TestRunRecord : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void latencyIsTheMeanAndNearestRankP99OfTheReportsTokens() {
    for (const Algorithm algorithm : {Algorithm::kIb1, Algorithm::kIgTree}) {
      QTemporaryDir dir;
      const auto e = test::smallExperiment(dir, algorithm);
      const RunRecord& r = e->record();
      const std::vector<TokenRecord>& tokens = e->report().tokens;
      // Over 100 tokens, so the 99th percentile is not simply the slowest lookup.
      QVERIFY2(tokens.size() > 100, qPrintable(QString::number(tokens.size())));
      QCOMPARE(uint64_t(tokens.size()), r.testInstances);

      double sum = 0.0;
      std::vector<double> sorted;
      for (const TokenRecord& t : tokens) {
        sum += t.latencyMicros;
        sorted.push_back(t.latencyMicros);
      }
      std::sort(sorted.begin(), sorted.end());
      // The smallest value that at least 99 % of the lookups do not exceed.
      size_t rank = 1;
      while (rank * 100 < sorted.size() * 99) ++rank;
      QVERIFY(r.latencyMeanMicros > 0.0);
      QVERIFY(std::abs(r.latencyMeanMicros - sum / double(tokens.size())) <=
              1e-9 * r.latencyMeanMicros);
      QCOMPARE(r.latencyP99Micros, sorted[rank - 1]);
      QVERIFY(r.latencyP99Micros <= sorted.back());

      // In the JSON record, beside the keys that were there before.
      const QJsonObject json =
          QJsonDocument::fromJson(QByteArray::fromStdString(r.toJson())).object();
      QCOMPARE(json[QStringLiteral("latencyMeanMicros")].toDouble(), r.latencyMeanMicros);
      QCOMPARE(json[QStringLiteral("latencyP99Micros")].toDouble(), r.latencyP99Micros);
      QCOMPARE(json[QStringLiteral("seconds")].toObject()[QStringLiteral("evaluate")].toDouble(),
               r.evaluateSeconds);
    }
  }

  // Which tokeniser a record names comes back with it: GPT-2 by its files, "spaces" by name.
  void tokeniserKindReadsBack() {
    RunRecord r = test::smallExperiment(QTemporaryDir(), Algorithm::kIb1)->record();
    auto word = RunRecord::fromJson(r.toJson());
    QVERIFY(word.isOk());
    QCOMPARE(word->tokeniser.kind, TokeniserKind::kWord);
    r.tokeniserName = "spaces";
    auto spaces = RunRecord::fromJson(r.toJson());
    QVERIFY(spaces.isOk());
    QCOMPARE(spaces->tokeniser.kind, TokeniserKind::kSpaces);
  }

  // fromJson reads back every field toJson writes: the options and sizes exactly, the metrics to
  // rounding; the vector memory's fixed T and λ too. Qt's JSON parser is the independent reader.
  void jsonRoundTrips() {
    for (const Algorithm algorithm : {Algorithm::kIgTree, Algorithm::kVectorMemory}) {
      QTemporaryDir dir;
      const auto e = test::smallExperiment(dir, algorithm);
      const RunRecord& r = e->record();
      auto back = RunRecord::fromJson(r.toJson());
      QVERIFY2(back.isOk(), back.status().message().c_str());
      QCOMPARE(back->created, r.created);
      QCOMPARE(back->corpus.size(), r.corpus.size());
      QCOMPARE(back->corpus.front().sha256, r.corpus.front().sha256);
      QCOMPARE(back->tokeniserName, r.tokeniserName);
      QCOMPARE(back->options.classifier.algorithm, algorithm);
      QCOMPARE(back->options.classifier.k, r.options.classifier.k);
      QCOMPARE(back->options.classifier.distanceWeighting, r.options.classifier.distanceWeighting);
      QCOMPARE(back->options.window.width, r.options.window.width);
      QCOMPARE(back->options.split.seed, r.options.split.seed);
      QCOMPARE(back->storedVectors, r.storedVectors);
      QCOMPARE(back->trainInstances, r.trainInstances);
      QCOMPARE(back->test.tokens, r.test.tokens);
      QCOMPARE(back->test.correct, r.test.correct);
      QCOMPARE(back->test.inTop5, r.test.inTop5);
      QVERIFY(std::abs(back->test.perplexity() - r.test.perplexity()) <=
              1e-9 * r.test.perplexity());
      QCOMPARE(back->bands.size(), r.bands.size());
      QCOMPARE(back->bands.back().metrics.correct, r.bands.back().metrics.correct);
      QCOMPARE(back->latencyP99Micros, r.latencyP99Micros);
      if (algorithm == Algorithm::kVectorMemory)
        QCOMPARE(back->memoryTemperature, r.memoryTemperature);
      const QJsonObject a = QJsonDocument::fromJson(QByteArray::fromStdString(r.toJson())).object();
      const QJsonObject b =
          QJsonDocument::fromJson(QByteArray::fromStdString(back->toJson())).object();
      QCOMPARE(b[QStringLiteral("model")], a[QStringLiteral("model")]);
      QCOMPARE(b[QStringLiteral("split")], a[QStringLiteral("split")]);
      QCOMPARE(b[QStringLiteral("tokeniser")], a[QStringLiteral("tokeniser")]);
      QCOMPARE(b[QStringLiteral("sizes")], a[QStringLiteral("sizes")]);
    }
    // Broken records are errors naming what is wrong.
    const std::string good =
        test::smallExperiment(QTemporaryDir(), Algorithm::kIb1)->record().toJson();
    for (const auto& [json, field] : std::vector<std::pair<std::string, std::string>>{
             {good.substr(0, good.size() / 2), "JSON"},
             {"{}", "created"},
             {std::string(good).replace(good.find("\"ib1\""), 5, "\"xyz\""), "model.algorithm"},
             {std::string(good).replace(good.find("\"width\":3"), 9, "\"width\":\"3\""),
              "instances.width"},
             {"[1, 2", "JSON"},
             {"{\"a\": 1e999}", "number out of range"}}) {
      auto r = RunRecord::fromJson(json);
      QVERIFY(!r.isOk());
      QVERIFY2(r.status().message().find(field) != std::string::npos, r.status().message().c_str());
    }
  }

  // A swapped-in memory is not evaluated: no latency to report.
  void aMemoryNotEvaluatedHasNoLatency() {
    QTemporaryDir dir;
    const auto e = test::smallExperiment(dir, Algorithm::kIb1);
    auto classifier = createClassifier(e->record().options.classifier);
    QVERIFY(classifier.isOk());
    QVERIFY((*classifier)->train(e->train()).isOk());
    auto swapped = Experiment::withMemory(e, e->train(), std::move(*classifier));
    QVERIFY2(swapped.isOk(), swapped.status().message().c_str());
    QCOMPARE((*swapped)->record().latencyMeanMicros, 0.0);
    QCOMPARE((*swapped)->record().latencyP99Micros, 0.0);
  }
};

QTEST_GUILESS_MAIN(TestRunRecord)
#include "tst_run_record.moc"
