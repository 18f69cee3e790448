// Progressive evaluation (evaluateProgressively, Experiment::trained + Experiment::evaluated) on a
// KJV slice: its final report equals, bit for bit, a plain evaluation token by token in test
// order, whatever the chunking and the random order; a cancelled one reports the sample it
// finished; its intervals close on the exact values.

#include <QtTest>

#include <algorithm>
#include <bit>
#include <fstream>
#include <numeric>

#include "memlens/experiment.h"
#include "memlens/smoothed_distribution.h"
#include "memlens/tokenised_corpus.h"
#include "test_support.h"

using namespace memlens;

namespace {

constexpr int kSliceLines = 6000;  // of the KJV: about 180k tokens, 18k of them test tokens

std::shared_ptr<const TokenisedCorpus> kjvSlice() {
  static const std::shared_ptr<const TokenisedCorpus> corpus = [] {
    static QTemporaryDir dir;
    std::ifstream in(MEMLENS_DEMO_CORPUS);
    if (!in) qFatal("no %s (build the demo_corpus target)", MEMLENS_DEMO_CORPUS);
    std::string text, line;
    for (int i = 0; i < kSliceLines && std::getline(in, line); ++i) text += line + "\n";
    auto loaded = TokenisedCorpus::load({test::writeFile(dir, "kjv_slice.txt", text)}, {});
    if (!loaded) qFatal("%s", loaded.status().toString().c_str());
    return std::shared_ptr<const TokenisedCorpus>(std::move(*loaded));
  }();
  return corpus;
}

std::shared_ptr<const Experiment> trainedMemory(Algorithm algorithm) {
  ExperimentOptions options;
  options.classifier.algorithm = algorithm;
  auto trained = Experiment::trained(kjvSlice(), options);
  if (!trained) qFatal("%s", trained.status().toString().c_str());
  return std::move(*trained);
}

// The evaluation as it was before it was progressive: every test token in test order, one at a
// time, its metrics summed as it goes; each token's record (prediction, probability) into
// `records` when given.
Metrics plainEvaluation(const Experiment& e, std::vector<TokenRecord>* records = nullptr) {
  const InstanceSet& test = e.test();
  const MemorySmoother smoother = e.smoother();
  const uint32_t unknown = smoother.base().vocabSize();
  PredictOptions votes;
  votes.neighbours = false;
  SmoothedDistribution dist;
  Metrics metrics;
  for (size_t i = 0; i < test.size(); ++i) {
    const Prediction p = e.classifier().predictOne(test.instance(i), votes);
    smoother.smoothed(p, test.instance(i), dist);
    TokenRecord r;
    const uint32_t truth = std::min(test.classes[i], unknown);
    r.predictedId = p.classId;
    r.distance = p.distance;
    r.probability = dist.probability(truth);
    r.rank = p.classId == test.classes[i]
                 ? 1
                 : uint32_t(2 + dist.countAboveOutcome(truth) -
                            (dist.probability(std::min(p.classId, unknown)) > r.probability));
    metrics.add(r);
    if (records) records->push_back(r);
  }
  return metrics;
}

// The base model alone, token by token in test order, on the test tokens at `positions` (test
// order): the rank of the truth is 1 + the outcomes the base finds more probable.
Metrics plainBaseEvaluation(const Experiment& e, const std::vector<size_t>& positions) {
  const InstanceSet& test = e.test();
  const KneserNeyModel& base = e.smoother().base();
  SmoothedDistribution dist;
  Metrics metrics;
  for (const size_t i : positions) {
    base.smoothed(test.instance(i), dist);
    const uint32_t truth = std::min(test.classes[i], base.vocabSize());
    TokenRecord r;
    r.probability = dist.probability(truth);
    r.rank = uint32_t(1 + dist.countAboveOutcome(truth));
    metrics.add(r);
  }
  return metrics;
}

std::vector<size_t> allPositions(const InstanceSet& test) {
  std::vector<size_t> all(test.size());
  std::iota(all.begin(), all.end(), size_t{0});
  return all;
}

bool sameBits(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

void verifySameMetrics(const Metrics& got, const Metrics& want) {
  QCOMPARE(got.tokens, want.tokens);
  QCOMPARE(got.correct, want.correct);
  QCOMPARE(got.inTop5, want.inTop5);
  QVERIFY2(sameBits(got.reciprocalRankSum, want.reciprocalRankSum),
           qPrintable(QString::number(got.reciprocalRankSum - want.reciprocalRankSum)));
  QVERIFY2(sameBits(got.log2ProbabilitySum, want.log2ProbabilitySum),
           qPrintable(QString::number(got.log2ProbabilitySum - want.log2ProbabilitySum)));
}

}  // namespace

class TestProgressiveEvaluation : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void finalMetricsEqualThePlainEvaluation_data() {
    QTest::addColumn<Algorithm>("algorithm");
    QTest::newRow("IB1") << Algorithm::kIb1;
    QTest::newRow("IGTree") << Algorithm::kIgTree;
    QTest::newRow("vector memory") << Algorithm::kVectorMemory;
  }
  void finalMetricsEqualThePlainEvaluation() {
    QFETCH(Algorithm, algorithm);
    const auto trained = trainedMemory(algorithm);
    QVERIFY(trained->test().size() > 10000);
    QCOMPARE(trained->report().complete, false);
    QCOMPARE(trained->record().test.tokens, uint64_t{0});
    std::vector<TokenRecord> wantTokens;
    const Metrics want = plainEvaluation(*trained, &wantTokens);

    std::vector<EvaluationUpdate> updates;
    auto e = Experiment::evaluated(trained, {},
                                   [&](const EvaluationUpdate& u) { updates.push_back(u); });
    QVERIFY2(e.isOk(), e.status().toString().c_str());
    const EvaluationReport& report = (*e)->report();
    QVERIFY(report.complete);
    QCOMPARE(report.evaluatedTokens, trained->test().size());
    QCOMPARE(report.testTokens, trained->test().size());
    verifySameMetrics(report.overall, want);
    verifySameMetrics((*e)->record().test, want);
    const Metrics wantBase = plainBaseEvaluation(*trained, allPositions(trained->test()));
    verifySameMetrics(report.base, wantBase);
    verifySameMetrics((*e)->record().baseTest, wantBase);
    QCOMPARE(&(*e)->classifier(), &trained->classifier());  // the memory is shared, not rebuilt

    // Updates on a growing sample, the last over every token.
    QVERIFY(updates.size() >= 3);
    QCOMPARE(updates.front().evaluatedTokens, uint64_t{1024});
    for (size_t i = 1; i < updates.size(); ++i)
      QVERIFY(updates[i].evaluatedTokens > updates[i - 1].evaluatedTokens);
    QCOMPARE(updates.back().evaluatedTokens, want.tokens);

    // Another order and other chunks: the same records, the same bits.
    ProgressiveEvaluationOptions other;
    other.seed = 99;
    other.firstChunk = 37;
    other.largestChunk = 500;
    auto again = evaluateProgressively(trained->classifier(), trained->smoother(), trained->test(),
                                       trained->trainClassCounts(), nullptr, other, {});
    QVERIFY(again.isOk());
    verifySameMetrics(again->overall, want);
    verifySameMetrics(again->base, wantBase);
    // Each context is looked up once, its lookup kept for the later chunks that meet it again
    // (small chunks here: most repeated contexts span several): every token as if looked up alone.
    for (size_t i = 0; i < report.tokens.size(); ++i) {
      QCOMPARE(again->tokens[i].source, report.tokens[i].source);
      QVERIFY(sameBits(again->tokens[i].probability, report.tokens[i].probability));
      QCOMPARE(again->tokens[i].predictedId, wantTokens[i].predictedId);
      QVERIFY(sameBits(again->tokens[i].distance, wantTokens[i].distance));
      QVERIFY(sameBits(again->tokens[i].probability, wantTokens[i].probability));
    }
    // Experiment::run is trained() then evaluated(): the same figures.
    ExperimentOptions options;
    options.classifier.algorithm = algorithm;
    auto run = Experiment::run(kjvSlice(), options);
    QVERIFY(run.isOk());
    verifySameMetrics((*run)->record().test, want);
    verifySameMetrics((*run)->record().baseTest, (*e)->record().baseTest);
  }

  // An evaluated memory's learning curve ends with its own figures instead of growing a second
  // copy of the memory: they are the figures the grown copy gives.
  void learningCurveEndsWithTheRunsFigures() {
    const auto trained = trainedMemory(Algorithm::kIgTree);
    auto grown = learningCurve(*trained);  // not evaluated: every point is grown and measured
    QVERIFY2(grown.isOk(), grown.status().toString().c_str());
    auto e = Experiment::evaluated(trained);
    QVERIFY2(e.isOk(), e.status().toString().c_str());
    auto reused = learningCurve(**e);
    QVERIFY2(reused.isOk(), reused.status().toString().c_str());
    QCOMPARE(reused->size(), grown->size());
    QVERIFY(grown->size() >= 3);
    for (size_t i = 0; i < grown->size(); ++i) {
      const LearningCurvePoint& got = (*reused)[i];
      const LearningCurvePoint& want = (*grown)[i];
      QCOMPARE(got.trainInstances, want.trainInstances);
      QCOMPARE(got.storedVectors, want.storedVectors);
      QVERIFY(sameBits(got.smoothingBeta, want.smoothingBeta));
      verifySameMetrics(got.metrics, want.metrics);
    }
    QCOMPARE(reused->back().trainInstances, uint64_t{trained->train().size()});
  }

  // Intervals hold the sample's estimate, narrow as the sample grows and close on the exact value
  // when it is the whole test set.
  void intervals() {
    const auto trained = trainedMemory(Algorithm::kIgTree);
    std::vector<EvaluationUpdate> updates;
    auto e = Experiment::evaluated(trained, {},
                                   [&](const EvaluationUpdate& u) { updates.push_back(u); });
    QVERIFY(e.isOk());
    for (const EvaluationUpdate& u : updates) {
      QVERIFY(u.accuracy.low <= u.sample.accuracy() && u.sample.accuracy() <= u.accuracy.high);
      QVERIFY(u.perplexity.low <= u.sample.perplexity());
      QVERIFY(u.sample.perplexity() <= u.perplexity.high);
    }
    const auto width = [](const Interval& i) { return i.high - i.low; };
    QVERIFY(width(updates[0].accuracy) > 0.01);
    QVERIFY(width(updates[1].accuracy) < width(updates[0].accuracy));
    QVERIFY(width(updates[1].perplexity) < width(updates[0].perplexity));
    const EvaluationUpdate& last = updates.back();
    QCOMPARE(width(last.accuracy), 0.0);
    QCOMPARE(width(last.perplexity), 0.0);
    QCOMPARE(last.secondsLeft, 0.0);
    // The final value lies in the first interval (fixed seed, so this is not left to chance).
    const Metrics& exact = (*e)->report().overall;
    QVERIFY(updates[0].accuracy.low <= exact.accuracy());
    QVERIFY(exact.accuracy() <= updates[0].accuracy.high);
    QVERIFY(updates[0].perplexity.low <= exact.perplexity());
    QVERIFY(exact.perplexity() <= updates[0].perplexity.high);
  }

  // Cancelled after its second update, the evaluation returns the two chunks it finished, in test
  // order, and says it is partial; the base model is measured on the same tokens. Cancelled
  // before its first, it returns none.
  void cancelledKeepsItsSample() {
    const auto trained = trainedMemory(Algorithm::kIb1);
    JobControl job;
    std::vector<EvaluationUpdate> updates;
    auto e = Experiment::evaluated(
        trained, {},
        [&](const EvaluationUpdate& u) {
          updates.push_back(u);
          if (updates.size() == 2) job.cancel();
        },
        &job);
    QVERIFY2(e.isOk(), e.status().toString().c_str());
    QCOMPARE(updates.size(), size_t{2});
    const EvaluationReport& report = (*e)->report();
    QCOMPARE(report.complete, false);
    QCOMPARE(report.evaluatedTokens, uint64_t{1024 + 2048});
    QCOMPARE(report.testTokens, trained->test().size());
    QCOMPARE(report.tokens.size(), size_t{1024 + 2048});
    QCOMPARE(report.overall.tokens, report.evaluatedTokens);
    QCOMPARE(report.overall.correct, updates.back().sample.correct);
    QVERIFY(std::is_sorted(
        report.tokens.begin(), report.tokens.end(),
        [](const TokenRecord& a, const TokenRecord& b) { return a.source < b.source; }));
    QCOMPARE((*e)->record().test.tokens, report.evaluatedTokens);
    std::vector<size_t> sample;
    for (size_t i = 0, t = 0; i < trained->test().size() && t < report.tokens.size(); ++i) {
      if (trained->test().sources[i] == report.tokens[t].source) {
        sample.push_back(i);
        ++t;
      }
    }
    QCOMPARE(sample.size(), report.tokens.size());
    verifySameMetrics((*e)->record().baseTest, plainBaseEvaluation(*trained, sample));
    // A sample, not a prefix: it reaches into the last tenth of the test set.
    QVERIFY(report.tokens.back().source > trained->test().sources[trained->test().size() * 9 / 10]);

    // Cancelled before its first chunk, an evaluation of an evaluated memory keeps nothing of
    // the earlier one: no tokens, no latency.
    QVERIFY((*e)->record().latencyMeanMicros > 0.0);
    JobControl before;
    before.cancel();
    auto none =
        Experiment::evaluated(std::shared_ptr<const Experiment>(std::move(*e)), {}, {}, &before);
    QVERIFY2(none.isOk(), none.status().toString().c_str());
    QCOMPARE((*none)->report().evaluatedTokens, uint64_t{0});
    QCOMPARE((*none)->record().test.tokens, uint64_t{0});
    QCOMPARE((*none)->record().latencyMeanMicros, 0.0);
    QCOMPARE((*none)->record().latencyP99Micros, 0.0);

    // Experiment::run has no partial result: it is cancelled.
    JobControl cancelled;
    cancelled.cancel();
    ExperimentOptions options;
    QVERIFY(Experiment::run(kjvSlice(), options, &cancelled).status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestProgressiveEvaluation)
#include "tst_progressive_evaluation.moc"
