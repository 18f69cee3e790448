#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>

#include "memlens/experiment.h"
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
