#include <QtTest>

#include <cfloat>
#include <map>
#include <random>

#include "memlens/trace.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::readFile;
using memlens::test::writeFile;

class TestTrace : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string text_;
  std::shared_ptr<TokenisedCorpus> corpus_;

  // Every trace re-adds to its prediction, distances re-add from their parts, and every
  // provenance entry points at the bytes of the instance's target token.
  void checkConsistency(const ExperimentOptions& options, int queries) {
    auto e = Experiment::run(corpus_, options);
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const Experiment& experiment = **e;
    std::mt19937 rng(17);
    for (int q = 0; q < queries; ++q) {
      const size_t i = rng() % experiment.test().size();
      const Trace t = traceContext(experiment, experiment.test().instance(i));
      QVERIFY(!t.buckets.empty());
      std::map<uint32_t, double> readded;
      for (const BucketTrace& b : t.buckets) {
        for (const NeighbourTrace& n : b.neighbours) {
          QVERIFY(std::abs(n.distance - b.distance) < 1e-9);
          for (const ClassVote& c : n.counts) readded[c.classId] += b.weight * c.weight;
          QCOMPARE(n.provenance.size(), std::min<size_t>(5, n.instanceCount));
          for (const ProvenanceRef& p : n.provenance) {
            const std::string bytes = text_.substr(p.byteOffset, corpus_->vocab.text(corpus_->tokens.id(p.token)).size());
            QCOMPARE(bytes, std::string(corpus_->vocab.text(corpus_->tokens.id(p.token))));
            QVERIFY(p.snippet.find(bytes) != std::string::npos);
          }
        }
      }
      // As in TiMBL, classes whose summed vote is below DBL_EPSILON (inverse-linear weighting
      // gives the farthest bucket weight 0) are left out of the distribution.
      std::erase_if(readded, [](const auto& e) { return e.second < DBL_EPSILON; });
      QCOMPARE(readded.size(), t.prediction.distribution.size());
      for (const ClassVote& v : t.prediction.distribution) {
        QVERIFY2(std::abs(readded[v.classId] - v.weight) <= 1e-9 * std::max(1.0, v.weight),
                 qPrintable(QString("class %1: %2 vs %3").arg(v.classId).arg(readded[v.classId]).arg(v.weight)));
      }
      double sum = 0.0;
      for (const auto& [id, p] : t.top) sum += p;
      QVERIFY(sum > 0.0 && sum <= 1.0 + 1e-12);
      QVERIFY(t.top.front().second >= t.top.back().second);
    }
  }

 private Q_SLOTS:
  void initTestCase() {
    const std::string kjv = readFile(MEMLENS_DEMO_CORPUS);
    QVERIFY2(!kjv.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
    size_t cut = 0;
    for (int lines = 0; lines < 4000; ++lines) cut = kjv.find('\n', cut) + 1;
    text_ = kjv.substr(0, cut);
    auto c = TokenisedCorpus::load({writeFile(dir_, "kjv4000.txt", text_)}, {});
    QVERIFY(c.isOk());
    corpus_ = std::move(*c);
  }

  void ib1TracesReAdd() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kIb1;
    o.classifier.k = 3;
    o.classifier.distanceWeighting = DistanceWeighting::kInverseDistance;
    o.maxTestTokens = 3000;
    checkConsistency(o, 400);
  }

  void ib1TieRetryTracesTheWiderVote() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kIb1;
    o.maxTestTokens = 3000;
    checkConsistency(o, 400);
  }

  void tribl2TracesReAdd() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kTribl2;
    o.classifier.k = 2;
    o.classifier.distanceWeighting = DistanceWeighting::kInverseLinear;
    o.maxTestTokens = 3000;
    checkConsistency(o, 400);
  }

  void contextWindowPads() {
    const uint32_t ids[] = {7, 8, 9};
    QCOMPARE(contextWindow(ids, 5, 0), (std::vector<uint32_t>{0, 0, 7, 8, 9}));
    QCOMPARE(contextWindow(ids, 2, 0), (std::vector<uint32_t>{8, 9}));
  }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
