// The overlap searches against a brute-force reference written here: every stored vector scored,
// grouped by distance into TiMBL's buckets. On random and KJV-derived memories of 4 to 32
// features, InvertedListSearch (and NeighbourSearch where its 2^width indexes fit) must return
// the reference's nearest buckets and the vote over them, for IB1 (no required features) and
// TRIBL2's fallback (the query's matched tree prefix required), k = 1 and 3, every distance
// weighting. Also: the width limit, and the memory a wide search holds per stored vector.
#include <QFile>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/vocabulary.h"
#include "memory/bucket_vote.h"
#include "memory/inverted_list_search.h"
#include "memory/neighbour_search.h"
#include "memory/overlap_memory.h"

using namespace memlens;

namespace {

// Deterministic pseudo-random instances over small alphabets (many ties and shared values).
InstanceSet randomSet(uint32_t seed, size_t n, int width, uint32_t values) {
  InstanceSet s;
  s.width = width;
  uint64_t x = seed * 2654435761ULL + 7;
  auto next = [&](uint32_t m) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<uint32_t>((x >> 33) % m);
  };
  for (size_t i = 0; i < n; ++i) {
    uint32_t h = 0;
    for (int f = 0; f < width; ++f) {
      const uint32_t v = 1 + next(values + static_cast<uint32_t>(f % 3));
      h += v * static_cast<uint32_t>(f + 1);
      s.features.push_back(v);
    }
    s.classes.push_back(1000 + (next(4) == 0 ? next(5) : h % 5));
    s.sources.push_back(i);
  }
  return s;
}

// Word ids of the KJV demo corpus (whitespace-separated words), the first `limit` of them.
std::vector<uint32_t> kjvWords(size_t limit) {
  QFile file(QStringLiteral(MEMLENS_DEMO_CORPUS));
  if (!file.open(QIODevice::ReadOnly)) return {};
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<uint32_t> words;
  std::istringstream in(file.readAll().toStdString());
  for (std::string w; words.size() < limit && in >> w;)
    words.push_back(ids.emplace(w, static_cast<uint32_t>(ids.size() + 1)).first->second);
  return words;
}

// Instances of `width` words of context and the next word as class, from words [begin, end).
InstanceSet windows(const std::vector<uint32_t>& words, size_t begin, size_t end, int width) {
  InstanceSet s;
  s.width = width;
  const auto w = static_cast<size_t>(width);
  for (size_t t = std::max(begin, w); t < end; ++t) {
    s.features.insert(s.features.end(), words.begin() + static_cast<std::ptrdiff_t>(t - w),
                      words.begin() + static_cast<std::ptrdiff_t>(t));
    s.classes.push_back(words[t]);
    s.sources.push_back(t);
  }
  return s;
}

// The reference: every stored vector agreeing with the query on `required`, its distance the
// weights of its mismatched features summed in descending weight order, grouped as TiMBL does
// (a distance within sameDistance of a bucket's first joins it); the k + 1 nearest buckets.
struct RefBucket {
  double distance;
  std::vector<uint32_t> ids;
};
std::vector<RefBucket> referenceBuckets(const InstanceBase& base, const std::vector<double>& w,
                                        const uint32_t* q, uint32_t required, int k) {
  const std::vector<int> order = featureOrder(w);
  std::vector<std::pair<double, uint32_t>> scored;
  for (uint32_t id = 0; id < base.vectorCount(); ++id) {
    const auto v = base.vector(id);
    bool agrees = true;
    double d = 0.0;
    for (int f : order) {
      if (v[f] == q[f]) continue;
      if (required & (1u << f)) agrees = false;
      d += w[f];
    }
    if (agrees) scored.emplace_back(d, id);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<RefBucket> buckets;
  for (const auto& [d, id] : scored) {
    if (buckets.empty() || !sameDistance(buckets.back().distance, d)) {
      if (static_cast<int>(buckets.size()) == k + 1) break;
      buckets.push_back({d, {}});
    }
    buckets.back().ids.push_back(id);
  }
  return buckets;
}

// The prediction the reference buckets give (the shared vote; the search is what is tested).
Prediction referencePrediction(const InstanceBase& base, const ClassifierOptions& options,
                               const std::vector<RefBucket>& buckets) {
  Prediction out;
  if (buckets.empty()) return out;
  std::vector<double> distances;
  for (const RefBucket& b : buckets) distances.push_back(b.distance);
  BucketVote vote(base, options, distances,
                  [&](int b) { return summedCounts(base, buckets[static_cast<size_t>(b)].ids); });
  PredictOptions po;
  vote.decide(po, out);
  return out;
}

QString describe(const char* what, int width, int k, DistanceWeighting dw, size_t query,
                 uint32_t required) {
  return QString("%1: width %2, k %3, weighting %4, query %5, required mask %6")
      .arg(what)
      .arg(width)
      .arg(k)
      .arg(static_cast<int>(dw))
      .arg(query)
      .arg(required, 0, 16);
}

// The required masks TRIBL2 would pass for `q`: its tree prefix, extended while some stored
// vector agrees (the deepest matched prefix short of all features).
uint32_t matchedPrefix(const InstanceBase& base, const std::vector<double>& w, const uint32_t* q) {
  const std::vector<int> order = featureOrder(w);
  uint32_t prefix = 0;
  for (size_t depth = 0; depth + 1 < order.size(); ++depth) {
    const uint32_t next = prefix | (1u << order[depth]);
    bool any = false;
    for (uint32_t id = 0; id < base.vectorCount() && !any; ++id) {
      const auto v = base.vector(id);
      any = true;
      for (int f = 0; f < base.width() && any; ++f)
        if ((next & (1u << f)) && v[f] != q[f]) any = false;
    }
    if (!any) break;
    prefix = next;
  }
  return prefix;
}

void expectSameVotes(const Prediction& a, const Prediction& b, const QString& where) {
  QVERIFY2(a.classId == b.classId, qPrintable(where + ": class differs"));
  QVERIFY2(sameDistance(a.distance, b.distance), qPrintable(where + ": distance differs"));
  QVERIFY2(a.distribution.size() == b.distribution.size(),
           qPrintable(where + ": distribution size differs"));
  for (size_t i = 0; i < a.distribution.size(); ++i) {
    QVERIFY2(a.distribution[i].classId == b.distribution[i].classId,
             qPrintable(where + ": distribution classes differ"));
    QVERIFY2(std::fabs(a.distribution[i].weight - b.distribution[i].weight) <=
                 1e-9 * std::max(1.0, std::fabs(a.distribution[i].weight)),
             qPrintable(where + ": distribution votes differ"));
  }
}

// Checks `search` against the reference (and `patterns`, when given, against `search`) on every
// query of `queries`, with and without TRIBL2's required prefix, and with each of `masks`.
void checkQueries(const InstanceBase& base, const std::vector<double>& weights,
                  const OverlapSearch& search, const OverlapSearch* patterns,
                  const InstanceSet& queries, const std::vector<uint32_t>& masks = {}) {
  const int width = base.width();
  for (int k : {1, 3}) {
    for (DistanceWeighting dw :
         {DistanceWeighting::kZero, DistanceWeighting::kInverseLinear,
          DistanceWeighting::kInverseDistance, DistanceWeighting::kExponentialDecay}) {
      ClassifierOptions options;
      options.k = k;
      options.distanceWeighting = dw;
      PredictOptions po;
      po.neighbours = true;
      for (size_t i = 0; i < queries.size(); ++i) {
        const uint32_t* q = queries.instance(i).data();
        std::vector<uint32_t> required_masks{0u, matchedPrefix(base, weights, q)};
        required_masks.insert(required_masks.end(), masks.begin(), masks.end());
        for (uint32_t required : required_masks) {
          const QString where = describe("", width, k, dw, i, required);
          const auto ref = referenceBuckets(base, weights, q, required, k);
          Prediction got;
          search.classify(q, required, options, po, got);
          // The voted buckets: k, or k + 1 after a tie (fewer when the memory has fewer).
          const size_t voted = got.neighbours.size();
          QVERIFY2(
              voted >= std::min<size_t>(static_cast<size_t>(k), ref.size()) && voted <= ref.size(),
              qPrintable(where + ": wrong number of buckets"));
          for (size_t b = 0; b < voted; ++b) {
            QVERIFY2(sameDistance(got.neighbours[b].distance, ref[b].distance),
                     qPrintable(where + QString(": bucket %1 distance").arg(b)));
            QVERIFY2(got.neighbours[b].storedVectors == ref[b].ids,
                     qPrintable(where + QString(": bucket %1 members").arg(b)));
          }
          expectSameVotes(got, referencePrediction(base, options, ref), where);
          if (patterns) {
            Prediction today;
            patterns->classify(q, required, options, po, today);
            expectSameVotes(today, got, where + " (NeighbourSearch)");
            QVERIFY2(today.neighbours.size() == voted, qPrintable(where + " (NeighbourSearch)"));
            for (size_t b = 0; b < voted; ++b)
              QVERIFY2(today.neighbours[b].storedVectors == got.neighbours[b].storedVectors,
                       qPrintable(where + " (NeighbourSearch): members"));
          }
        }
      }
    }
  }
}

// Trains both searches (NeighbourSearch only up to `patternMaxWidth`) on `train` under each
// feature weighting and checks them on `queries`.
void checkMemory(const InstanceSet& train, const InstanceSet& queries, int patternMaxWidth) {
  InstanceBase base(train.width);
  QVERIFY(base.add(train));
  InvertedListSearch search(base);
  std::unique_ptr<NeighbourSearch> patterns;
  if (train.width <= patternMaxWidth) patterns = std::make_unique<NeighbourSearch>(base);
  for (FeatureWeighting fw : {FeatureWeighting::kGainRatio, FeatureWeighting::kNone}) {
    ClassifierOptions options;
    options.weighting = fw;
    const std::vector<double> weights = memoryWeights(options, base);
    search.setWeights(weights);
    if (patterns) patterns->setWeights(weights);
    checkQueries(base, weights, search, patterns.get(), queries);
    if (QTest::currentTestFailed()) return;
  }
}

}  // namespace

class OverlapSearchTest : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void randomMemories_data() {
    QTest::addColumn<int>("width");
    for (int w : {4, 8, 16, 24, 32}) QTest::newRow(qPrintable(QString("width %1").arg(w))) << w;
  }
  void randomMemories() {
    QFETCH(int, width);
    // Alphabets shrink as the width grows, so wide vectors still share many values.
    const uint32_t values = width <= 8 ? 4 : 2;
    const InstanceSet train = randomSet(static_cast<uint32_t>(width), 600, width, values);
    const InstanceSet queries = randomSet(static_cast<uint32_t>(width) + 50, 25, width, values + 1);
    checkMemory(train, queries, 8);
  }

  void kjvMemories_data() { randomMemories_data(); }
  void kjvMemories() {
    QFETCH(int, width);
    const std::vector<uint32_t> words = kjvWords(60000);
    QVERIFY2(words.size() == 60000, "demo corpus missing: build the demo_corpus target");
    // Queries from later in the text: some contexts seen, most not.
    checkMemory(windows(words, 0, 4000, width), windows(words, 50000, 50000 + 20, width), 8);
  }

  // TRIBL2's fallback under a prefix with more members than the search scores outright: it
  // bounds the nearest buckets among them and walks the query's lists restricted to them.
  // Required masks of one or two features give groups of ~1,300 and ~450 members.
  void largePrefixGroups() {
    const int width = 16;
    const InstanceSet train = randomSet(5, 4000, width, 3);
    InstanceSet queries = randomSet(6, 12, width, 3);
    // Queries sharing nothing beyond feature 0, or beyond features 0 and 1, with the memory:
    // every member of their group lies at one distance.
    for (size_t shared : {1, 2}) {
      const size_t i = queries.size();
      queries.features.insert(queries.features.end(), train.instance(7).begin(),
                              train.instance(7).end());
      for (size_t f = shared; f < size_t{width}; ++f) queries.features[i * width + f] = 99;
      queries.classes.push_back(1000);
      queries.sources.push_back(i);
    }
    std::vector<uint32_t> masks;
    for (int f = 0; f < width; ++f) masks.push_back(1u << f);
    masks.push_back(3u);
    InstanceBase base(width);
    QVERIFY(base.add(train));
    InvertedListSearch search(base);
    for (FeatureWeighting fw : {FeatureWeighting::kGainRatio, FeatureWeighting::kNone}) {
      ClassifierOptions options;
      options.weighting = fw;
      const std::vector<double> weights = memoryWeights(options, base);
      search.setWeights(weights);
      checkQueries(base, weights, search, nullptr, queries, masks);
      if (QTest::currentTestFailed()) return;
    }
  }

  // Under a large prefix, fewer distinct distances than k + 1 buckets: the members match the
  // query on all of features 1–7 or on none, and never on 8–15.
  void largePrefixFewDistances() {
    const int width = 16;
    InstanceSet train = randomSet(8, 3000, width, 3);
    for (size_t i = 0; i < train.size(); ++i) {
      uint32_t* v = train.features.data() + i * width;
      v[0] = 1;
      for (int f = 1; f < 8; ++f) v[f] = i % 2 ? 1 : 2;
    }
    InstanceSet queries = randomSet(9, 1, width, 3);
    for (int f = 0; f < width; ++f) queries.features[f] = f < 8 ? 1 : 99;
    InstanceBase base(width);
    QVERIFY(base.add(train));
    QVERIFY(base.vectorCount() > 2000);
    InvertedListSearch search(base);
    ClassifierOptions options;
    const std::vector<double> weights = memoryWeights(options, base);
    search.setWeights(weights);
    checkQueries(base, weights, search, nullptr, queries, {1u});
  }

  // An incremental add() reaches the lists too.
  void grownMemory() {
    const InstanceSet all = randomSet(3, 500, 12, 3);
    InstanceBase base(12);
    QVERIFY(base.add(all.slice(0, 300)));
    InvertedListSearch search(base);
    QVERIFY(base.add(all.slice(300, 500)));
    search.vectorsAdded({});
    ClassifierOptions options;
    const std::vector<double> weights = memoryWeights(options, base);
    search.setWeights(weights);
    checkQueries(base, weights, search, nullptr, randomSet(9, 10, 12, 4));
  }

  void widthLimit() {
    for (Algorithm a : {Algorithm::kIb1, Algorithm::kTribl2}) {
      ClassifierOptions options;
      options.algorithm = a;
      auto c = createClassifier(options);
      QVERIFY(c);
      QVERIFY((*c)->train(randomSet(1, 50, 32, 3)));
      QVERIFY((*c)->predictOne(randomSet(2, 1, 32, 3).instance(0), {}).classId !=
              Prediction::kNoClass);
      const Status wide = (*c)->train(randomSet(1, 50, 33, 3));
      QVERIFY(!wide);
      QVERIFY2(wide.message().find("1 to 32 features") != std::string::npos,
               wide.message().c_str());
    }
  }

  // A width-16 IB1 memory of 200k+ KJV instances: the search holds a bounded number of bytes
  // per stored vector (its own accounting), whatever the width's 2^16 patterns.
  void wideMemoryBudget() {
    const std::vector<uint32_t> words = kjvWords(230000);
    QVERIFY2(words.size() == 230000, "demo corpus missing: build the demo_corpus target");
    const InstanceSet train = windows(words, 0, words.size(), 16);
    QVERIFY(train.size() >= 200000);
    ClassifierOptions options;
    OverlapMemory memory(options);
    QVERIFY(memory.train(train, nullptr));
    const double vectors = memory.base().vectorCount();
    const double searchBytes = static_cast<double>(memory.search().memoryBytes()) / vectors;
    const double allBytes =
        searchBytes + static_cast<double>(memory.base().memoryBytes()) / vectors;
    qInfo("width 16, %.0f stored vectors: search %.1f bytes per vector, with the base %.1f",
          vectors, searchBytes, allBytes);
    // 16 list entries of 4 bytes per vector, with room for growth slack and per-value headers;
    // the instance base itself (values, counts, sources, hash table) measured 450.
    QVERIFY2(searchBytes <= 160.0, qPrintable(QString::number(searchBytes)));
    QVERIFY2(allBytes <= 640.0, qPrintable(QString::number(allBytes)));
  }
};

QTEST_GUILESS_MAIN(OverlapSearchTest)
#include "tst_overlap_search.moc"
