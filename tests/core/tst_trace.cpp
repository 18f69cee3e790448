#include <QtTest>

#include <algorithm>
#include <cfloat>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "memlens/trace.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::kjvHead;
using memlens::test::writeFile;

class TestTrace : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  std::string text_;
  std::shared_ptr<TokenisedCorpus> corpus_;

  // Every trace re-adds to its prediction, distances re-add from their parts, and every
  // provenance entry points at the bytes of the instance's target token.
  // With `cap`, buckets list at most that many neighbours, the first of the uncapped trace's
  // (the lowest ids), and count the rest: the listed and the unlisted still re-add.
  void checkConsistency(const ExperimentOptions& options, int queries, size_t cap = SIZE_MAX) {
    auto e = Experiment::run(corpus_, options);
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const Experiment& experiment = **e;
    std::mt19937 rng(17);
    TraceOptions traceOptions;
    traceOptions.maxBucketNeighbours = cap;
    TraceOptions all;
    all.maxBucketNeighbours = SIZE_MAX;
    size_t capped = 0;
    for (int q = 0; q < queries; ++q) {
      const size_t i = rng() % experiment.test().size();
      const Trace t = traceContext(experiment, experiment.test().instance(i), traceOptions);
      QVERIFY(!t.buckets.empty());
      std::map<uint32_t, double> readded;
      uint64_t instances = 0;  // behind the vote: what the smoothing trusts it by
      const Trace whole = traceContext(experiment, experiment.test().instance(i), all);
      QCOMPARE(t.buckets.size(), whole.buckets.size());
      for (size_t b = 0; b < t.buckets.size(); ++b) {
        const BucketTrace& listed = t.buckets[b];
        QVERIFY(listed.neighbours.size() <= cap);
        QCOMPARE(listed.neighbours.size() + listed.unlistedVectors,
                 whole.buckets[b].neighbours.size());
        QCOMPARE(whole.buckets[b].unlistedVectors, uint64_t{0});
        std::set<uint32_t> ids;
        for (const NeighbourTrace& n : whole.buckets[b].neighbours) ids.insert(n.storedVector);
        for (const NeighbourTrace& n : listed.neighbours) QVERIFY(ids.count(n.storedVector) == 1);
        // The lowest ids, whichever search lists them (a sharded memory lists the same ones).
        for (size_t j = 0; j < listed.neighbours.size(); ++j)
          QCOMPARE(listed.neighbours[j].storedVector, whole.buckets[b].neighbours[j].storedVector);
        capped += listed.unlistedVectors > 0 ? 1 : 0;
        for (const ClassVote& c : listed.unlistedCounts) {
          readded[c.classId] += listed.weight * c.weight;
          if (listed.weight > 0.0) instances += static_cast<uint64_t>(c.weight);
        }
      }
      for (const BucketTrace& b : t.buckets) {
        for (const NeighbourTrace& n : b.neighbours) {
          QVERIFY(std::abs(n.distance - b.distance) < 1e-9);
          for (const ClassVote& c : n.counts) {
            readded[c.classId] += b.weight * c.weight;
            if (b.weight > 0.0) instances += static_cast<uint64_t>(c.weight);
          }
          QCOMPARE(n.provenance.size(), std::min<size_t>(5, n.instanceCount));
          for (const ProvenanceRef& p : n.provenance) {
            const std::string bytes =
                text_.substr(p.byteOffset, corpus_->vocab.text(corpus_->tokens.id(p.token)).size());
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
                 qPrintable(QString("class %1: %2 vs %3")
                                .arg(v.classId)
                                .arg(readded[v.classId])
                                .arg(v.weight)));
      }
      QCOMPARE(t.prediction.instances, instances);
      if (options.classifier.algorithm == Algorithm::kIb1) {
        QVERIFY(t.path.steps.empty());
        QCOMPARE(t.path.answer, TreePath::Answer::kNone);
        QCOMPARE(t.evidence.storedVectors, 0u);
      }
      double sum = 0.0;
      for (const auto& [id, p] : t.top) sum += p;
      QVERIFY(sum > 0.0 && sum <= 1.0 + 1e-12);
      QVERIFY(t.top.front().second >= t.top.back().second);
    }
    if (cap != SIZE_MAX) QVERIFY(capped > 0);
  }

  // The tree path of every query agrees with its prediction and with what a scan of the memory
  // says about each level: the features tested in the spec's tree order, the stored vectors and
  // summed class counts below each node, each node's default under tie rules (2)-(3), and why
  // the walk stopped. Queries are test and training positions, half of them with one context
  // position replaced by a random or unknown token, so walks stop at every depth.
  void checkTreePaths(const ExperimentOptions& options, int queries) {
    auto e = Experiment::run(corpus_, options);
    QVERIFY2(e.isOk(), e.status().message().c_str());
    const Experiment& experiment = **e;
    const bool igtree = options.classifier.algorithm == Algorithm::kIgTree;
    const InstanceBase& memory = experiment.classifier().memory();
    const std::vector<double>& weights = experiment.classifier().weights();
    const int w = memory.width();
    std::vector<int> order(static_cast<size_t>(w));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return weights[a] > weights[b]; });
    // Training frequency per class index, summed from the stored vectors: the root's counts.
    std::vector<uint64_t> totals(memory.classCount(), 0);
    for (uint32_t id = 0; id < memory.vectorCount(); ++id)
      for (const ClassCount& c : memory.distribution(id)) totals[c.classIndex] += c.count;
    std::map<uint32_t, uint64_t> root;
    for (uint32_t c = 0; c < totals.size(); ++c) root[c] = totals[c];
    const auto defaultOf = [&](const std::map<uint32_t, uint64_t>& dist) {
      uint32_t best = 0;
      uint64_t bestCount = 0;
      for (const auto& [c, n] : dist)  // ascending class index: strict comparisons keep the first
        if (n > bestCount || (n == bestCount && totals[c] > totals[best])) {
          best = c;
          bestCount = n;
        }
      return memory.classId(best);
    };

    std::mt19937 rng(23);
    std::map<TreePath::Answer, int> answers;
    std::map<int, int> depths;
    int capped = 0;  // answers with more vectors under their node than a trace lists
    for (int q = 0; q < queries; ++q) {
      const InstanceSet& from = q % 2 ? experiment.test() : experiment.train();
      const auto instance = from.instance(rng() % from.size());
      std::vector<uint32_t> context(instance.begin(), instance.end());
      if (rng() % 2) {
        context[rng() % context.size()] =
            rng() % 4 ? static_cast<uint32_t>(rng() % corpus_->vocab.size()) : Vocabulary::kUnknown;
      }
      const Trace t = traceContext(experiment, context);
      const TreePath& path = t.path;
      ++answers[path.answer];
      ++depths[path.depth];

      // levels[d]: class counts of the stored vectors agreeing on the first d tree features.
      std::vector<std::map<uint32_t, uint64_t>> levels(static_cast<size_t>(w) + 1);
      levels[0] = root;
      std::vector<uint32_t> vectors(static_cast<size_t>(w) + 1, 0);
      // (stored vector, instances) under the deepest node, by ascending id
      std::vector<std::pair<uint32_t, uint64_t>> instancesUnder;
      for (uint32_t id = 0; id < memory.vectorCount(); ++id) {
        const auto v = memory.vector(id);
        int matched = 0;
        while (matched < w && v[order[matched]] == context[order[matched]]) ++matched;
        for (int d = 1; d <= matched; ++d) {
          ++vectors[d];
          for (const ClassCount& c : memory.distribution(id)) levels[d][c.classIndex] += c.count;
        }
        if (matched >= path.depth) {
          uint64_t n = 0;
          for (const ClassCount& c : memory.distribution(id)) n += c.count;
          instancesUnder.emplace_back(id, n);
        }
      }
      vectors[0] = memory.vectorCount();
      const auto instancesAt = [&](int d) {
        uint64_t n = 0;
        for (const auto& [c, count] : levels[d]) n += count;
        return n;
      };

      QCOMPARE(path.depth, t.prediction.matchDepth);
      QCOMPARE(path.steps.size(), static_cast<size_t>(path.depth) + 1);
      for (int d = 0; d <= path.depth; ++d) {
        const TreeStep& step = path.steps[d];
        QCOMPARE(step.depth, d);
        QCOMPARE(step.instances, instancesAt(d));
        QCOMPARE(step.classes, static_cast<uint32_t>(levels[d].size()));
        QCOMPARE(step.defaultClass, defaultOf(levels[d]));
        QCOMPARE(step.storedVectors, igtree ? 0u : vectors[d]);
        if (d < path.depth) {
          QVERIFY(step.tested && step.matched);
          QVERIFY(vectors[d + 1] > 0);
        }
        if (step.tested) {
          QCOMPARE(step.feature, order[d]);
          QCOMPARE(step.value, context[order[d]]);
        }
      }
      const TreeStep& last = path.steps.back();
      QVERIFY(!last.matched);
      if (path.depth < w) {
        // The walk stopped short: no stored vector continues the match (TRIBL2), or IGTree's
        // compression dropped the child, which it does only when the child would answer the same.
        if (igtree) {
          QVERIFY(vectors[path.depth + 1] == 0 ||
                  defaultOf(levels[path.depth + 1]) == last.defaultClass);
        } else {
          QVERIFY(last.tested);
          QCOMPARE(vectors[path.depth + 1], 0u);
        }
      } else {
        QVERIFY(!last.tested);
      }

      checkEvidence(experiment, context, t, instancesUnder, q % 10 == 0);
      if (QTest::currentTestFailed()) return;
      if (t.evidence.storedVectors > TraceOptions{}.maxTreeEvidence) ++capped;

      if (igtree) {
        QCOMPARE(path.answer, path.depth == 0 ? TreePath::Answer::kRootMajority
                                              : TreePath::Answer::kDeepestDefault);
        QCOMPARE(t.prediction.classId, last.defaultClass);
        QCOMPARE(t.prediction.leaf, !last.tested);
        double unconsulted = 0.0, votes = 0.0;
        for (int d = path.depth; d < w; ++d) unconsulted += weights[order[d]];
        QVERIFY(std::abs(t.prediction.distance - unconsulted) < 1e-9);
        for (const ClassVote& v : t.prediction.distribution) votes += v.weight;
        QCOMPARE(votes, static_cast<double>(last.instances));
        QCOMPARE(t.prediction.distribution.size(), static_cast<size_t>(last.classes));
      } else if (path.depth == w) {
        QCOMPARE(path.answer, TreePath::Answer::kExactMatch);
        QCOMPARE(t.prediction.classId, last.defaultClass);
        QCOMPARE(t.prediction.distance, 0.0);
      } else {
        // IB1 ran over the vectors under the deepest matched node only.
        QCOMPARE(path.answer, TreePath::Answer::kIb1Fallback);
        for (const BucketTrace& b : t.buckets)
          for (const NeighbourTrace& n : b.neighbours)
            for (int d = 0; d < path.depth; ++d) QVERIFY(n.matches[order[d]]);
      }
    }
    // The queries reached every kind of answer and several depths.
    QCOMPARE(answers.size(), size_t{2});
    QVERIFY(depths.size() >= 3);
    if (igtree) QVERIFY(capped > 0);  // TRIBL2's answering node is a leaf: one vector
  }

  // A tree answer's evidence is the stored vectors under its node (`under`: instances per vector,
  // from a scan of the memory): all of them counted, the most frequent listed, most first. With
  // `all`, every one of them is listed, and their summed class counts must be the distribution
  // the tree answered with (IGTree: the deepest node's; TRIBL2: the matched leaf's).
  void checkEvidence(const Experiment& experiment, const std::vector<uint32_t>& context,
                     const Trace& t, const std::vector<std::pair<uint32_t, uint64_t>>& under,
                     bool all) {
    const TreeEvidence& evidence = t.evidence;
    if (t.path.answer == TreePath::Answer::kIb1Fallback) {
      QCOMPARE(evidence.storedVectors, 0u);
      QVERIFY(evidence.shown.empty());
      return;
    }
    const TreeStep& node = t.path.steps.back();
    QCOMPARE(evidence.storedVectors, static_cast<uint32_t>(under.size()));
    QCOMPARE(evidence.instances, node.instances);
    QCOMPARE(evidence.shown.size(), std::min(TraceOptions{}.maxTreeEvidence, under.size()));
    std::set<uint32_t> listed;
    for (size_t i = 0; i < evidence.shown.size(); ++i) {
      const NeighbourTrace& n = evidence.shown[i];
      const auto it =
          std::lower_bound(under.begin(), under.end(), std::pair{n.storedVector, uint64_t{0}});
      QVERIFY(it != under.end() && it->first == n.storedVector);
      QCOMPARE(n.instanceCount, it->second);
      if (i > 0) QVERIFY(n.instanceCount <= evidence.shown[i - 1].instanceCount);
      for (size_t j = 0; j < context.size(); ++j)
        QCOMPARE(bool(n.matches[j]), n.values[j] == context[j]);
      listed.insert(n.storedVector);
    }
    // None left out has more instances than the last one listed.
    uint64_t mostLeftOut = 0;
    for (const auto& [id, n] : under)
      if (!listed.contains(id)) mostLeftOut = std::max(mostLeftOut, n);
    QVERIFY(mostLeftOut <= evidence.shown.back().instanceCount);
    if (!all) return;

    TraceOptions everything;
    everything.maxTreeEvidence = std::numeric_limits<size_t>::max();
    everything.maxProvenance = 0;
    const Trace full = traceContext(experiment, context, everything);
    QCOMPARE(full.evidence.shown.size(), under.size());
    std::map<uint32_t, double> summed;
    for (const NeighbourTrace& n : full.evidence.shown)
      for (const ClassVote& c : n.counts) summed[c.classId] += c.weight;
    QCOMPARE(summed.size(), static_cast<size_t>(node.classes));
    QCOMPARE(summed.size(), t.prediction.distribution.size());
    for (const ClassVote& v : t.prediction.distribution) QCOMPARE(summed[v.classId], v.weight);
  }

 private Q_SLOTS:
  void initTestCase() {
    text_ = kjvHead(4000);
    QVERIFY2(!text_.empty(), "the KJV demo corpus is missing: build the demo_corpus target");
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

  // A bucket of a large memory holds too many vectors to list: the trace lists a few and counts
  // the rest, by the pattern search (narrow memories) and by the per-value lists (wide ones).
  void cappedBucketsStillReAdd() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kIb1;
    o.classifier.k = 3;
    o.classifier.distanceWeighting = DistanceWeighting::kInverseDistance;
    o.maxTestTokens = 3000;
    checkConsistency(o, 200, 2);
    o.window.width = 8;
    checkConsistency(o, 100, 2);
    o.window.width = 4;
    o.classifier.algorithm = Algorithm::kTribl2;
    checkConsistency(o, 200, 2);
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

  void igtreePathsAgreeWithPredictions() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kIgTree;
    o.maxTestTokens = 3000;
    checkTreePaths(o, 2000);
  }

  void tribl2PathsAgreeWithPredictions() {
    ExperimentOptions o;
    o.classifier.algorithm = Algorithm::kTribl2;
    o.classifier.k = 2;
    o.maxTestTokens = 3000;
    checkTreePaths(o, 2000);
  }

  void contextWindowPads() {
    const uint32_t ids[] = {7, 8, 9};
    QCOMPARE(contextWindow(ids, 5, 0), (std::vector<uint32_t>{0, 0, 7, 8, 9}));
    QCOMPARE(contextWindow(ids, 2, 0), (std::vector<uint32_t>{8, 9}));
  }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
