#include <QtTest>

#include <functional>
#include <map>
#include <numeric>
#include <set>

#include "edit_fixture.h"
#include "memlens/option_names.h"
#include "memlens/pruning.h"

using namespace memlens;

namespace {

std::unique_ptr<EditedMemory> memoryFor(const test::EditSetup& s, Algorithm a = Algorithm::kIb1) {
  ClassifierOptions o;
  o.algorithm = a;
  return std::move(*EditedMemory::create(s.corpus, s.train, s.probe, o));
}

using Vector = std::vector<uint32_t>;

// Sources of the instances of each distinct feature vector of `set`, worked out here.
std::map<Vector, std::vector<uint64_t>> sourcesByVector(const InstanceSet& set) {
  std::map<Vector, std::vector<uint64_t>> out;
  for (size_t i = 0; i < set.size(); ++i) {
    const auto f = set.instance(i);
    out[Vector(f.begin(), f.end())].push_back(set.sources[i]);
  }
  return out;
}

std::vector<uint64_t> sorted(std::vector<uint64_t> v) {
  std::ranges::sort(v);
  return v;
}

// The distinct feature vectors of `set` in order of first appearance (the memory's id order),
// each with its instances' indices and class counts, worked out here.
struct Distinct {
  std::vector<Vector> vectors;
  std::vector<std::vector<size_t>> instances;
  std::vector<std::map<uint32_t, uint32_t>> counts;  // class → count
  std::map<Vector, size_t> index;
  std::map<uint32_t, size_t> firstSeen;  // class → first instance with it
  std::map<uint32_t, uint64_t> classTotals;
};

Distinct distinctVectors(const InstanceSet& set) {
  Distinct d;
  for (size_t i = 0; i < set.size(); ++i) {
    const auto f = set.instance(i);
    auto [it, added] = d.index.try_emplace(Vector(f.begin(), f.end()), d.vectors.size());
    if (added) {
      d.vectors.push_back(it->first);
      d.instances.emplace_back();
      d.counts.emplace_back();
    }
    d.instances[it->second].push_back(i);
    ++d.counts[it->second][set.classes[i]];
    d.firstSeen.try_emplace(set.classes[i], i);
    ++d.classTotals[set.classes[i]];
  }
  return d;
}

// Most counts, ties to the class seen first in training.
uint32_t majorityOf(const Distinct& d, size_t v) {
  uint32_t own = 0, best = 0;
  for (auto [cls, n] : d.counts[v])
    if (n > best || (n == best && d.firstSeen.at(cls) < d.firstSeen.at(own))) own = cls, best = n;
  return own;
}

// The vectors nearest to v (weighted overlap, equal within 1e-12), v itself left out.
std::set<size_t> nearestOthers(const Distinct& d, size_t v, const std::vector<double>& w) {
  std::set<size_t> out;
  double best = 1e300;
  for (size_t u = 0; u < d.vectors.size(); ++u) {
    if (u == v) continue;
    double dist = 0;
    for (size_t j = 0; j < w.size(); ++j) dist += d.vectors[u][j] == d.vectors[v][j] ? 0.0 : w[j];
    if (dist < best - 1e-12) out.clear(), best = dist;
    if (dist <= best + 1e-12) out.insert(u);
  }
  return out;
}

std::vector<uint64_t> sourcesOf(const Distinct& d, const InstanceSet& set, size_t v) {
  std::vector<uint64_t> out;
  for (size_t i : d.instances[v]) out.push_back(set.sources[i]);
  return out;
}

// A JobControl that cancels itself the first time progress is reported past the start.
struct CancelMidway {
  JobControl job{[this](double fraction, const std::string&) {
                   if (fraction > 0.0) job.cancel();
                 },
                 std::chrono::milliseconds(0)};
};

}  // namespace

class TestPruning : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // Exactly the instances of vectors seen fewer than minCount times, counted by brute force.
  void countThresholdRemovesExactlyTheRareVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s, Algorithm::kIgTree);
    for (uint32_t minCount : {2u, 3u}) {
      std::vector<uint64_t> expected;
      for (const auto& [v, sources] : sourcesByVector(s->train))
        if (sources.size() < minCount)
          expected.insert(expected.end(), sources.begin(), sources.end());
      auto edit = planPrune(*m, {PruneStrategy::kCountThreshold, minCount});
      QVERIFY2(edit.isOk(), edit.status().message().c_str());
      QCOMPARE(edit->kind, EditKind::kPrune);
      QCOMPARE(edit->sources, sorted(expected));
    }
    QVERIFY(!planPrune(*m, {PruneStrategy::kCountThreshold, 1}).isOk());  // removes nothing
  }

  // Never-neighbour removes exactly the vectors that appear in no census token's buckets
  // (checked from the predictions' neighbours); negative credit only vectors that were used.
  void usageCensusRemovesUnusedVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    PruneOptions o{PruneStrategy::kNeverNeighbour};
    o.census = &s->probe;
    PredictOptions po;
    po.neighbours = true;
    const InstanceBase& base = m->classifier().memory();
    std::vector<bool> used(base.vectorCount(), false);
    for (const Prediction& p : *m->classifier().predict(s->probe, po))
      for (const NeighbourBucket& b : p.neighbours)
        for (uint32_t v : b.storedVectors) used[v] = true;
    std::vector<uint64_t> expected;
    for (uint32_t id = 0; id < base.vectorCount(); ++id)
      if (!used[id])
        for (uint64_t src : base.sources(id)) expected.push_back(src);
    auto never = planPrune(*m, o);
    QVERIFY2(never.isOk(), never.status().message().c_str());
    QCOMPARE(never->sources, sorted(expected));

    o.strategy = PruneStrategy::kNegativeCredit;
    auto negative = planPrune(*m, o);
    QVERIFY2(negative.isOk(), negative.status().message().c_str());
    const std::set<uint64_t> unused(expected.begin(), expected.end());
    for (uint64_t src : negative->sources) QVERIFY(!unused.count(src));

    o.census = nullptr;
    QVERIFY(!planPrune(*m, o).isOk());
    o.census = &s->probe;
    QVERIFY(!planPrune(*memoryFor(*s, Algorithm::kIgTree), o).isOk());
  }

  // Whole vectors go, about the asked fraction; the same seed gives the same choice.
  void randomIsSeededAndRemovesWholeVectors() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    const auto groups = sourcesByVector(s->train);
    PruneOptions o{PruneStrategy::kRandom};
    o.keepFraction = 0.7;
    o.seed = 5;
    auto a = planPrune(*m, o), b = planPrune(*m, o);
    o.seed = 6;
    auto c = planPrune(*m, o);
    QCOMPARE(a->sources, b->sources);
    QVERIFY(a->sources != c->sources);
    const std::set<uint64_t> removed(a->sources.begin(), a->sources.end());
    size_t vectorsRemoved = 0;
    for (const auto& [v, sources] : groups) {
      const auto n =
          std::ranges::count_if(sources, [&](uint64_t x) { return removed.count(x) > 0; });
      QVERIFY(n == 0 || n == static_cast<long>(sources.size()));
      vectorsRemoved += n > 0;
    }
    const double fraction = double(vectorsRemoved) / double(groups.size());
    QVERIFY2(fraction > 0.25 && fraction < 0.35, std::to_string(fraction).c_str());
    o.keepFraction = 1.0;
    QVERIFY(!planPrune(*m, o).isOk());
  }

  // Wilson editing against a brute-force k-bucket vote over all other vectors, weighted overlap.
  void wilsonMatchesBruteForce() {
    auto s = test::makeEditSetup(40);
    auto m = memoryFor(*s);
    const std::vector<double>& w = m->classifier().weights();
    const auto groups = sourcesByVector(s->train);
    std::map<Vector, std::map<uint32_t, uint32_t>> counts;  // vector → class → count
    for (size_t i = 0; i < s->train.size(); ++i) {
      const auto f = s->train.instance(i);
      ++counts[Vector(f.begin(), f.end())][s->train.classes[i]];
    }
    const int k = 2;
    std::vector<uint64_t> expected;
    for (const auto& [v, dist] : counts) {
      std::map<double, std::vector<const Vector*>> byDistance;
      for (const auto& [u, _] : counts) {
        if (&u == &v) continue;
        double d = 0;
        for (size_t j = 0; j < v.size(); ++j) d += v[j] == u[j] ? 0.0 : w[j];
        auto it = byDistance.lower_bound(d - 1e-12);
        if (it != byDistance.end() && it->first <= d + 1e-12)
          it->second.push_back(&u);
        else
          byDistance[d].push_back(&u);
      }
      std::map<uint32_t, uint64_t> votes;
      int buckets = 0;
      for (const auto& [d, members] : byDistance) {
        if (buckets++ == k) break;
        for (const Vector* u : members)
          for (auto [cls, n] : counts.at(*u)) votes[cls] += n;
      }
      // The vector's majority class: most counts, ties to the class seen first in training.
      uint32_t own = 0, best = 0;
      size_t firstSeen = SIZE_MAX;
      for (auto [cls, n] : dist) {
        const size_t seen = std::ranges::find(s->train.classes, cls) - s->train.classes.begin();
        if (n > best || (n == best && seen < firstSeen)) own = cls, best = n, firstSeen = seen;
      }
      uint64_t top = 0;
      for (auto [cls, n] : votes) top = std::max(top, n);
      if (top > votes[own])
        expected.insert(expected.end(), groups.at(v).begin(), groups.at(v).end());
    }
    PruneOptions o{PruneStrategy::kWilson};
    o.neighbours = k;
    auto edit = planPrune(*m, o);
    QVERIFY2(edit.isOk(), edit.status().message().c_str());
    QCOMPARE(edit->sources, sorted(expected));
  }

  void documentStrategyIsSurgery() {
    auto s = test::makeEditSetup(20);
    auto m = memoryFor(*s);
    PruneOptions o{PruneStrategy::kDocument};
    o.document = 2;
    auto edit = planPrune(*m, o);
    QCOMPARE(edit->kind, EditKind::kRemoveDocument);
    QCOMPARE(edit->document, 2u);
  }

  // Merging: no instance is lost, whole vectors move onto survivors that were among their
  // nearest other vectors with the same majority class, survivors are never merged themselves,
  // and the greedy pass left no mergeable free pair behind. The committed memory holds each
  // survivor with its merged counts added.
  void mergeMovesNearestSameMajorityVectorsOntoSurvivors() {
    auto s = test::makeEditSetup(40);
    auto m = memoryFor(*s);
    const Distinct d = distinctVectors(s->train);
    const std::vector<double> w = m->classifier().weights();
    auto edit = planPrune(*m, {PruneStrategy::kMerge});
    QVERIFY2(edit.isOk(), edit.status().message().c_str());
    QCOMPARE(edit->kind, EditKind::kMerge);
    QCOMPARE(edit->targets.size(), edit->sources.size());
    QCOMPARE(edit->sources, sorted(edit->sources));
    std::map<uint64_t, size_t> instanceOf;
    for (size_t i = 0; i < s->train.size(); ++i) instanceOf[s->train.sources[i]] = i;
    const auto vectorOfSource = [&](uint64_t src) {
      const auto f = s->train.instance(instanceOf.at(src));
      return d.index.at(Vector(f.begin(), f.end()));
    };
    std::map<size_t, size_t> survivorOf;  // merged vector → survivor
    std::map<size_t, size_t> movedInstances;
    for (size_t k = 0; k < edit->sources.size(); ++k) {
      const size_t j = vectorOfSource(edit->sources[k]), i = vectorOfSource(edit->targets[k]);
      auto [it, added] = survivorOf.try_emplace(j, i);
      QCOMPARE(it->second, i);  // one survivor per merged vector
      ++movedInstances[j];
    }
    QVERIFY(!survivorOf.empty());
    std::set<size_t> survivors;
    for (auto [j, i] : survivorOf) {
      QCOMPARE(movedInstances[j], d.instances[j].size());  // whole vectors move
      QCOMPARE(majorityOf(d, j), majorityOf(d, i));
      QVERIFY(nearestOthers(d, i, w).count(j));
      survivors.insert(i);
    }
    for (size_t i : survivors) QVERIFY(!survivorOf.count(i));
    for (size_t i = 0; i < d.vectors.size(); ++i) {
      if (survivorOf.count(i)) continue;
      for (size_t j : nearestOthers(d, i, w))
        QVERIFY2(survivorOf.count(j) || survivors.count(j) || majorityOf(d, i) != majorityOf(d, j),
                 "a free same-majority nearest vector was left unmerged");
    }

    auto preview = m->preview(*edit);
    QVERIFY2(preview.isOk(), preview.status().message().c_str());
    QCOMPARE(preview->instancesAfter, preview->instancesBefore);
    QCOMPARE(size_t{preview->slotsAfter}, d.vectors.size() - survivorOf.size());
    QVERIFY(m->commit(std::move(*preview)).isOk());
    const InstanceBase& after = m->classifier().memory();
    for (size_t i : survivors) {
      std::map<uint32_t, uint32_t> expected = d.counts[i];
      for (auto [j, into] : survivorOf)
        if (into == i)
          for (auto [cls, n] : d.counts[j]) expected[cls] += n;
      const uint32_t id = after.find(d.vectors[i]);
      QVERIFY(id != InstanceBase::kNone);
      std::map<uint32_t, uint32_t> got;
      for (const ClassCount& c : after.distribution(id)) got[after.classId(c.classIndex)] = c.count;
      QCOMPARE(got, expected);
    }
    for (auto [j, i] : survivorOf) QCOMPARE(after.find(d.vectors[j]), InstanceBase::kNone);
  }

  // IB2: walking the vectors in first-appearance order, a vector is removed exactly when a fresh
  // IB1 memory of the vectors kept before it (the memory's weights, fixed) classifies it as its
  // majority class; the first vector is always kept.
  void condensedKeepsExactlyWhatThePrefixMisclassifies() {
    auto s = test::makeEditSetup(30);
    auto m = memoryFor(*s);
    const Distinct d = distinctVectors(s->train);
    auto edit = planPrune(*m, {PruneStrategy::kCondensed});
    QVERIFY2(edit.isOk(), edit.status().message().c_str());
    QCOMPARE(edit->kind, EditKind::kPrune);
    const std::set<uint64_t> removed(edit->sources.begin(), edit->sources.end());
    ClassifierOptions o;
    o.fixedWeights = m->classifier().weights();
    InstanceSet prefix;  // instances of the vectors kept so far, vector by vector
    prefix.width = s->train.width;
    std::unique_ptr<Classifier> condensed;
    size_t kept = 0;
    for (size_t v = 0; v < d.vectors.size(); ++v) {
      const auto sources = sourcesOf(d, s->train, v);
      const auto n =
          std::ranges::count_if(sources, [&](uint64_t x) { return removed.count(x) > 0; });
      QVERIFY(n == 0 || n == static_cast<long>(sources.size()));
      const bool correct =
          condensed && condensed->predictOne(d.vectors[v]).classId == majorityOf(d, v);
      QCOMPARE(n > 0, correct);
      if (correct) continue;
      ++kept;
      // Classes in their order of first appearance within the vector, as its distribution has.
      std::vector<uint32_t> classes;
      for (size_t i : d.instances[v])
        if (std::ranges::find(classes, s->train.classes[i]) == classes.end())
          classes.push_back(s->train.classes[i]);
      for (uint32_t cls : classes)
        for (uint32_t c = 0; c < d.counts[v].at(cls); ++c) {
          prefix.features.insert(prefix.features.end(), d.vectors[v].begin(), d.vectors[v].end());
          prefix.classes.push_back(cls);
          prefix.sources.push_back(prefix.classes.size());
        }
      condensed = std::move(*createClassifier(o));
      QVERIFY(condensed->train(prefix).isOk());
    }
    QVERIFY(kept > 1 && kept < d.vectors.size());
  }

  // IGTree compression against a tree built here by brute force: a vector is redundant exactly
  // when its leaf, or a subtree of leaves around it, had the default class of its parent; the
  // redundant vectors below one kept node merge into the first of them. With the weights fixed,
  // the merged IGTree memory predicts every probe token and every training vector as before.
  void igTreeCompressionMatchesBruteForceTree() {
    auto s = test::makeEditSetup(40);
    ClassifierOptions options;
    options.algorithm = Algorithm::kIgTree;
    options.fixedWeights = *EditedMemory::trainedWeights(s->train, options);
    auto m = std::move(*EditedMemory::create(s->corpus, s->train, s->probe, options));
    const Distinct d = distinctVectors(s->train);
    const std::vector<double>& w = options.fixedWeights;
    const int width = s->train.width;
    std::vector<int> order(static_cast<size_t>(width));
    std::iota(order.begin(), order.end(), 0);
    std::ranges::stable_sort(order, [&](int a, int b) { return w[a] > w[b]; });
    using Counts = std::map<uint32_t, uint32_t>;
    const auto defaultOf = [&](const Counts& c) {
      uint32_t best = c.begin()->first;
      for (auto [cls, n] : c) {
        const uint32_t bn = c.at(best);
        if (n > bn || (n == bn && (d.classTotals.at(cls) > d.classTotals.at(best) ||
                                   (d.classTotals.at(cls) == d.classTotals.at(best) &&
                                    d.firstSeen.at(cls) < d.firstSeen.at(best)))))
          best = cls;
      }
      return best;
    };
    // Redundant vector → the kept node it hangs below (the highest drop overrides deeper ones).
    std::map<size_t, std::pair<int, size_t>> nodeOf;
    struct Node {
      Counts counts;
      bool leaf;
    };
    std::function<Node(const std::vector<size_t>&, int)> build =
        [&](const std::vector<size_t>& members, int depth) -> Node {
      if (depth == width) return {d.counts[members.front()], true};
      std::map<uint32_t, std::vector<size_t>> byValue;
      for (size_t v : members) byValue[d.vectors[v][order[depth]]].push_back(v);
      std::vector<std::pair<Node, const std::vector<size_t>*>> children;
      Counts sum;
      for (const auto& [value, group] : byValue) {
        children.emplace_back(build(group, depth + 1), &group);
        for (auto [cls, n] : children.back().first.counts) sum[cls] += n;
      }
      bool anyKept = false;
      for (const auto& [child, group] : children) {
        if (child.leaf && defaultOf(child.counts) == defaultOf(sum)) {
          for (size_t v : *group) nodeOf[v] = {depth, members.front()};
        } else {
          anyKept = true;
        }
      }
      return {sum, !anyKept};
    };
    std::vector<size_t> all(d.vectors.size());
    std::iota(all.begin(), all.end(), 0);
    build(all, 0);
    std::map<std::pair<int, size_t>, size_t> firstBelow;
    std::map<uint64_t, size_t> expectedTarget;  // moved source → vector it moves onto
    for (const auto& [v, node] : nodeOf) {      // ascending v: the first one below a node stays
      const Prediction p = m->classifier().predictOne(d.vectors[v]);
      QCOMPARE(p.matchDepth, node.first);
      QCOMPARE(p.classId, defaultOf(d.counts[v]));
      const size_t into = firstBelow.try_emplace(node, v).first->second;
      if (into != v)
        for (uint64_t src : sourcesOf(d, s->train, v)) expectedTarget[src] = into;
    }
    QVERIFY(!expectedTarget.empty());
    auto edit = planPrune(*m, {PruneStrategy::kIgTreeCompression});
    QVERIFY2(edit.isOk(), edit.status().message().c_str());
    QCOMPARE(edit->kind, EditKind::kMerge);
    QCOMPARE(edit->sources.size(), expectedTarget.size());
    std::map<uint64_t, size_t> vectorOfSource;
    for (size_t v = 0; v < d.vectors.size(); ++v)
      for (uint64_t src : sourcesOf(d, s->train, v)) vectorOfSource[src] = v;
    for (size_t k = 0; k < edit->sources.size(); ++k) {
      QVERIFY(expectedTarget.count(edit->sources[k]));
      QCOMPARE(vectorOfSource.at(edit->targets[k]), expectedTarget.at(edit->sources[k]));
    }
    // An IB1 memory is compressed by the same tree (same weights).
    auto ib1 = planPrune(*memoryFor(*s), {PruneStrategy::kIgTreeCompression});
    QCOMPARE(ib1->sources, edit->sources);
    QCOMPARE(ib1->targets, edit->targets);

    std::vector<Prediction> before;
    for (const Vector& v : d.vectors) before.push_back(m->classifier().predictOne(v));
    const auto probeBefore = m->probePredictions();
    auto preview = m->preview(*edit);
    QVERIFY(preview.isOk());
    QCOMPARE(preview->instancesAfter, preview->instancesBefore);
    QCOMPARE(size_t{preview->slotsAfter}, d.vectors.size() - (nodeOf.size() - firstBelow.size()));
    QVERIFY(preview->changed.empty());
    QVERIFY(m->commit(std::move(*preview)).isOk());
    QCOMPARE(m->probePredictions(), probeBefore);
    for (size_t v = 0; v < d.vectors.size(); ++v) {
      const Prediction p = m->classifier().predictOne(d.vectors[v]);
      QCOMPARE(p.classId, before[v].classId);
      QCOMPARE(p.matchDepth, before[v].matchDepth);
    }
  }

  // Every new long call stops when cancelled part-way, and the memory stays as it was.
  void newStrategiesCancelMidway() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    const auto before = m->probePredictions();
    for (PruneStrategy strategy : {PruneStrategy::kMerge, PruneStrategy::kCondensed,
                                   PruneStrategy::kIgTreeCompression, PruneStrategy::kWilson}) {
      CancelMidway c;
      PruneOptions o{strategy};
      QVERIFY2(planPrune(*m, o, &c.job).status().isCancelled(),
               std::string(optionLabel(strategy)).c_str());
    }
    QVERIFY(m->edits().empty());
    QCOMPARE(m->probePredictions(), before);
  }

  // A prefix is the memory of the first N instances in corpus order: it answers as a memory
  // trained on them alone, for every algorithm; an inserted instance goes with the rest, and
  // undo brings everything back.
  void prefixIsTheMemoryTrainedOnTheFirstInstances() {
    auto s = test::makeEditSetup();
    QVERIFY(std::ranges::is_sorted(s->train.sources));
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kIgTree, Algorithm::kTribl2}) {
      auto m = memoryFor(*s, a);
      auto insert = m->preview({EditKind::kInsertInstance, {1, 2, 3}, 0, 0, 4, {}, ""});
      QVERIFY(insert.isOk());
      QVERIFY(m->commit(std::move(*insert)).isOk());
      const std::vector<uint32_t> before = m->probePredictions();
      for (const uint64_t n : {uint64_t{1}, uint64_t{s->train.size() / 3}}) {
        PruneOptions o;
        o.strategy = PruneStrategy::kPrefix;
        o.instances = n;
        auto edit = planPrune(*m, o);
        QVERIFY2(edit.isOk(), edit.status().message().c_str());
        QCOMPARE(edit->kind, EditKind::kKeepPrefix);
        auto preview = m->preview(*edit);
        QVERIFY2(preview.isOk(), preview.status().message().c_str());
        QVERIFY(m->commit(std::move(*preview)).isOk());
        const InstanceSet& kept = m->instances();
        QCOMPARE(kept.size(), size_t{n});
        QCOMPARE(kept.sources,
                 std::vector<uint64_t>(s->train.sources.begin(),
                                       s->train.sources.begin() + static_cast<ptrdiff_t>(n)));
        ClassifierOptions options;
        options.algorithm = a;
        auto alone = std::move(*createClassifier(options));
        QVERIFY(alone->train(s->train.slice(0, n)).isOk());
        std::vector<uint32_t> expected;
        for (const Prediction& p : *alone->predict(s->probe)) expected.push_back(p.classId);
        QCOMPARE(m->probePredictions(), expected);
        QVERIFY(m->undo().isOk());
        QCOMPARE(m->probePredictions(), before);
      }
      PruneOptions whole;
      whole.strategy = PruneStrategy::kPrefix;
      for (const uint64_t n : {uint64_t{0}, uint64_t{m->instances().size()}}) {
        whole.instances = n;
        QVERIFY(!planPrune(*m, whole).isOk());  // nothing or everything kept is no prefix
      }
    }
  }

  void cancelledPruningChoosesNothing() {
    auto s = test::makeEditSetup();
    auto m = memoryFor(*s);
    JobControl job;
    job.cancel();
    PruneOptions o{PruneStrategy::kWilson};
    QVERIFY(planPrune(*m, o, &job).status().isCancelled());
    o.strategy = PruneStrategy::kNeverNeighbour;
    o.census = &s->probe;
    QVERIFY(planPrune(*m, o, &job).status().isCancelled());
    // Counting and listing the removed vectors' sources poll the job too (a drag's stop at 100M).
    for (PruneStrategy strategy :
         {PruneStrategy::kMerge, PruneStrategy::kCondensed, PruneStrategy::kIgTreeCompression,
          PruneStrategy::kCountThreshold, PruneStrategy::kRandom}) {
      o.strategy = strategy;
      QVERIFY(planPrune(*m, o, &job).status().isCancelled());
    }
  }
};

QTEST_APPLESS_MAIN(TestPruning)
#include "tst_pruning.moc"
