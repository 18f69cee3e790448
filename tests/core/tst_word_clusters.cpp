// WordClusters and WordDistances::floors(): a read bounds the distance of a word it has not
// computed by the floor of the word's fine cluster, and skips slots whose bounds sum above the k-th
// distance, so a floor above any word's distance would silently change reads. On the KJV's vectors
// and one-hot words: each fine cluster's floor is the least distance from the query word to its
// words (or 2), for words with and without vectors.

#include <QtTest>

#include <algorithm>
#include <random>

#include "memlens/tokenised_corpus.h"
#include "memlens/word_vectors.h"
#include "vector/word_clusters.h"
#include "vector/word_distances.h"

using namespace memlens;

namespace {

const WordVectors& kjvVectors() {
  static const std::unique_ptr<WordVectors> vectors = [] {
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    if (!corpus) qFatal("%s (build the demo_corpus target)", corpus.status().toString().c_str());
    auto trained = WordVectors::train((*corpus)->tokens, (*corpus)->vocab.size());
    if (!trained) qFatal("%s", trained.status().toString().c_str());
    return std::move(*trained);
  }();
  return *vectors;
}

// Every floor of x against the least distance to the words 0 .. words − 1 of its fine cluster.
void checkFloors(const WordDistances& distances, const WordClusters& clusters, uint32_t x,
                 uint32_t words) {
  std::vector<float> floors(WordClusters::kFineCount);
  distances.floors(x, floors);
  std::vector<float> least(WordClusters::kFineCount, 2.0f);
  for (uint32_t v = 0; v < words; ++v) {
    QCOMPARE(clusters.of(v), clusters.fineOf(v) / WordClusters::kFine);
    float& l = least[clusters.fineOf(v)];
    l = std::min(l, distances.distance(x, v));
  }
  for (uint32_t c = 0; c < WordClusters::kFineCount; ++c) {
    // Exactly (QCOMPARE on floats is fuzzy): a floor a rounding error above its cluster's least
    // distance could still drop a slot at the k-th distance.
    QVERIFY2(floors[c] == least[c],
             qPrintable(QString("fine cluster %1: floor %2, least distance %3")
                            .arg(c)
                            .arg(double(floors[c]), 0, 'g', 9)
                            .arg(double(least[c]), 0, 'g', 9)));
  }
}

}  // namespace

class TestWordClusters : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void learntFloors() {
    const WordVectors& vectors = kjvVectors();
    const WordClusters clusters(&vectors);
    const WordDistances distances(&vectors, 17, {}, &clusters);
    const uint32_t words = vectors.size() + 50;  // and ids past the vectors: at 2
    std::mt19937 rng(3);
    for (int i = 0; i < 40; ++i) {
      checkFloors(distances, clusters, rng() % words, words);
      if (QTest::currentTestFailed()) return;
    }
    checkFloors(distances, clusters, vectors.size() - 1, words);
  }

  // Near words share clusters: most clusters' floors are far above 0 for a typical word, or the
  // floors would bound nothing.
  void clustersAreCompact() {
    const WordVectors& vectors = kjvVectors();
    const WordClusters clusters(&vectors);
    const WordDistances distances(&vectors, 17, {}, &clusters);
    std::vector<uint32_t> sizes(WordClusters::kCount, 0), fineSizes(WordClusters::kFineCount, 0);
    for (uint32_t v = 0; v < vectors.size(); ++v) {
      ++sizes[clusters.of(v)];
      ++fineSizes[clusters.fineOf(v)];
    }
    QVERIFY(*std::max_element(sizes.begin(), sizes.end()) < vectors.size() / 4);
    QVERIFY(*std::max_element(fineSizes.begin(), fineSizes.end()) < vectors.size() / 16);
    std::vector<float> floors(WordClusters::kFineCount);
    std::mt19937 rng(4);
    size_t high = 0, all = 0;
    for (int i = 0; i < 100; ++i) {
      distances.floors(rng() % vectors.size(), floors);
      for (const float f : floors) high += f >= 0.5f;
      all += floors.size();
    }
    QVERIFY2(high * 2 >= all, qPrintable(QString("%1 of %2 floors >= 0.5").arg(high).arg(all)));
  }

  void oneHotFloors() {
    const WordClusters clusters(nullptr);
    const WordDistances distances(nullptr, 17, {}, &clusters);
    for (const uint32_t x : {0u, 5u, 63u, 64u, 1000u}) {
      checkFloors(distances, clusters, x, 2000);
      if (QTest::currentTestFailed()) return;
    }
  }
};

QTEST_GUILESS_MAIN(TestWordClusters)
#include "tst_word_clusters.moc"
