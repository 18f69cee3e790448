#include <QtTest>

#include <cmath>

#include "memlens/evaluation.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::bigramInstances;

namespace {

// Answers every query with one fixed vote: class 1 ×3, class 2 ×1. Lets the evaluation's
// arithmetic be checked by hand, independently of the real engines.
class FixedVoteClassifier : public Classifier {
 public:
  Status train(const InstanceSet&, JobControl*) override { return Status::ok(); }
  Status add(const InstanceSet&, JobControl*) override { return Status::ok(); }
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& o,
                                          JobControl*) const override {
    std::vector<Prediction> out;
    for (size_t i = 0; i < queries.size(); ++i) out.push_back(predictOne(queries.instance(i), o));
    return out;
  }
  Prediction predictOne(std::span<const uint32_t>, const PredictOptions&) const override {
    Prediction p;
    p.classId = 1;
    p.distribution = {{1, 3.0}, {2, 1.0}};
    p.instances = 4;
    p.matchDepth = 1;
    return p;
  }
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return memory_; }
  const std::vector<double>& weights() const override { return weights_; }

 private:
  ClassifierOptions options_;
  InstanceBase memory_{1};
  std::vector<double> weights_{1.0};
};

// The Kneser-Ney model of tst_kneser_ney_model: after the unseen context 3 its distribution is
// the unigram one: id 0: 0.024, 1: 0.384, 2: 0.384, 3: 0.184, unknown: 0.024.
std::unique_ptr<KneserNeyModel> base() {
  return std::move(*KneserNeyModel::train(
      bigramInstances({{0, 1}, {1, 2}, {2, 1}, {1, 2}, {0, 2}, {2, 3}}), 4, {2}));
}

}  // namespace

class TestEvaluation : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // β = 1: λ = 4 / (4 + 1·2) = 2/3. Smoothed: p(1) = 2/3·3/4 + 1/3·0.384 = 0.628,
  // p(2) = 2/3·1/4 + 1/3·0.384 = 0.294667, p(3) = 0.184/3, p(0) = p(unknown) = 0.008.
  void recordsAndMetricsByHand() {
    auto kn = base();
    const MemorySmoother smoother(*kn, 1.0);
    FixedVoteClassifier classifier;
    const InstanceSet test = bigramInstances({{3, 1}, {3, 2}, {3, 3}, {3, 0}});
    const std::vector<uint64_t> trainCounts = {0, 5, 50, 1};
    auto report = evaluate(classifier, smoother, test, trainCounts);
    QVERIFY2(report.isOk(), report.status().message().c_str());

    const double p[] = {0.628, 2.0 / 3 * 0.25 + 0.128, 0.184 / 3, 0.008};
    const uint32_t rank[] = {1, 2, 3, 4};
    double entropy = 0.0;
    for (double q : {0.628, 2.0 / 3 * 0.25 + 0.128, 0.184 / 3, 0.008, 0.008})
      entropy -= q * std::log2(q);
    for (int i = 0; i < 4; ++i) {
      const TokenRecord& r = report->tokens[size_t(i)];
      QVERIFY2(std::abs(r.probability - p[i]) < 1e-12, qPrintable(QString::number(r.probability)));
      QCOMPARE(r.rank, rank[i]);
      QCOMPARE(r.predictedId, 1u);
      QCOMPARE(r.trueId, test.classes[size_t(i)]);
      QVERIFY(std::abs(r.entropyBits - entropy) < 1e-12);
    }
    const Metrics& m = report->overall;
    QCOMPARE(m.tokens, uint64_t{4});
    QCOMPARE(m.accuracy(), 0.25);
    QCOMPARE(m.top5(), 1.0);
    QVERIFY(std::abs(m.meanReciprocalRank() - (1 + 0.5 + 1.0 / 3 + 0.25) / 4) < 1e-12);
    const double ce = -(std::log2(p[0]) + std::log2(p[1]) + std::log2(p[2]) + std::log2(p[3])) / 4;
    QVERIFY(std::abs(m.crossEntropyBits() - ce) < 1e-12);
    QVERIFY(std::abs(m.perplexity() - std::exp2(ce)) < 1e-9);

    // Bands by training count of the true token: 1 -> 5, 2 -> 50, 3 -> 1, 0 -> unseen.
    std::map<std::string, uint64_t> perBand;
    for (const FrequencyBand& b : report->bands) perBand[b.label] = b.metrics.tokens;
    QCOMPARE(perBand["unseen"], uint64_t{1});
    QCOMPARE(perBand["1"], uint64_t{1});
    QCOMPARE(perBand["2-10"], uint64_t{1});
    QCOMPARE(perBand["11-100"], uint64_t{1});
    QCOMPARE(perBand[">1000"], uint64_t{0});
    QCOMPARE(report->byMatchDepth.at(1).tokens, uint64_t{4});
    QVERIFY(report->smoothing.find("Kneser-Ney 2-gram") != std::string::npos);
  }

  void smoothedDistributionSumsToOne() {
    auto kn = base();
    FixedVoteClassifier classifier;
    std::vector<double> dist;
    for (double beta : {0.01, 1.0, 30.0}) {
      const MemorySmoother smoother(*kn, beta);
      for (uint32_t context : {0u, 1u, 2u, 3u}) {
        const uint32_t ctx[] = {context};
        const Prediction p = classifier.predictOne(ctx, {});
        smoother.distribution(p, ctx, dist);
        double sum = 0.0;
        for (size_t w = 0; w < dist.size(); ++w) {
          sum += dist[w];
          QVERIFY(dist[w] > 0.0);
          QVERIFY(std::abs(dist[w] - smoother.probability(p, ctx, uint32_t(w))) < 1e-12);
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
      }
    }
  }

  // The vector memory's fixed λ: p = λ·p_mem + (1 − λ)·p_base whatever the vote's size. After
  // context 3 (unigram base) with p_mem = {1: 0.75, 2: 0.25} and λ = 0.4: p(1) = 0.3 + 0.6·0.384,
  // p(2) = 0.1 + 0.6·0.384, p(3) = 0.6·0.184, p(0) = p(unknown) = 0.6·0.024.
  void fixedWeightInterpolation() {
    auto kn = base();
    const MemorySmoother smoother = MemorySmoother::fixedWeight(*kn, 0.4);
    Prediction memory;
    memory.classId = 1;
    memory.distribution = {{1, 0.75}, {2, 0.25}};
    QCOMPARE(smoother.memoryWeight(memory), 0.4);
    const uint32_t unseen[] = {3};
    std::vector<double> dist;
    smoother.distribution(memory, unseen, dist);
    const double expected[] = {0.6 * 0.024, 0.3 + 0.6 * 0.384, 0.1 + 0.6 * 0.384, 0.6 * 0.184,
                               0.6 * 0.024};
    QCOMPARE(dist.size(), size_t{5});
    for (size_t w = 0; w < 5; ++w)
      QVERIFY2(std::abs(dist[w] - expected[w]) < 1e-12, qPrintable(QString::number(w)));

    for (double lambda : {0.0, 0.3, 0.95}) {
      const MemorySmoother s = MemorySmoother::fixedWeight(*kn, lambda);
      for (uint32_t context : {0u, 1u, 2u, 3u}) {
        const uint32_t ctx[] = {context};
        s.distribution(memory, ctx, dist);
        double sum = 0.0;
        for (size_t w = 0; w < dist.size(); ++w) {
          sum += dist[w];
          QVERIFY(dist[w] > 0.0);  // tokens the memory gave nothing still get the base's share
          QVERIFY(std::abs(dist[w] - s.probability(memory, ctx, uint32_t(w))) < 1e-12);
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
      }
    }
    // A memory that read nothing leaves the base alone.
    QCOMPARE(smoother.memoryWeight(Prediction{}), 0.0);
    QVERIFY(smoother.describe().find("fixed lambda = 0.4") != std::string::npos);
  }

  // λ rests on the instances behind a vote, not on its scale: inverse-distance weighting
  // multiplies an exact match's counts by ~1e15, which must not make the memory look certain.
  void distanceWeightingDoesNotInflateTrust() {
    auto kn = base();
    const MemorySmoother smoother(*kn, 1.0);
    Prediction counts;
    counts.classId = 1;
    counts.distribution = {{1, 3.0}, {2, 1.0}};
    counts.instances = 4;
    Prediction weighted = counts;
    for (ClassVote& v : weighted.distribution) v.weight *= 1e15;
    QCOMPARE(smoother.memoryWeight(counts), 4.0 / (4.0 + 1.0 * 2));
    QCOMPARE(smoother.memoryWeight(weighted), smoother.memoryWeight(counts));
    const uint32_t ctx[] = {3};
    for (uint32_t w : {0u, 1u, 2u, 3u})
      QVERIFY(std::abs(smoother.probability(weighted, ctx, w) -
                       smoother.probability(counts, ctx, w)) < 1e-12);
  }

  void tuningFollowsTheMemorysReliability() {
    auto kn = base();
    FixedVoteClassifier classifier;
    // The memory always says 1: right on every token -> trust it most (smallest β) ...
    auto trusted = tuneSmoothing(classifier, *kn, bigramInstances({{3, 1}, {0, 1}, {2, 1}}));
    QVERIFY(trusted.isOk());
    QCOMPARE(*trusted, 0.01);
    // ... never voting for the truth -> trust it least.
    auto distrusted = tuneSmoothing(classifier, *kn, bigramInstances({{3, 3}, {0, 0}, {2, 3}}));
    QCOMPARE(*distrusted, 30.0);
  }

  void cancelAndEmpty() {
    auto kn = base();
    const MemorySmoother smoother(*kn, 1.0);
    FixedVoteClassifier classifier;
    JobControl job;
    job.cancel();
    InstanceSet many;
    many.width = 1;
    for (int i = 0; i < 10000; ++i) {
      many.features.push_back(3);
      many.classes.push_back(1);
      many.sources.push_back(0);
    }
    QVERIFY(evaluate(classifier, smoother, many, {}, nullptr, &job).status().isCancelled());
    QCOMPARE(evaluate(classifier, smoother, InstanceSet{1, {}, {}, {}}, {}).status().code(),
             Status::Code::kInvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
