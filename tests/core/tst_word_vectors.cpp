#include <QtTest>

#include <Eigen/SVD>

#include <cmath>
#include <cstring>
#include <random>
#include <set>

#include "memlens/instance_base.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"
#include "memlens/word_vectors.h"
#include "test_support.h"
#include "vector/sparse_products.h"

using namespace memlens;
using memlens::test::writeFile;

class TestWordVectors : public QObject {
  Q_OBJECT

  static std::set<std::string> nearestWords(const WordVectors& v, const Vocabulary& vocab,
                                            const char* word, size_t n) {
    std::set<std::string> out;
    for (auto [id, sim] : v.nearest(vocab.lookup(word), n)) out.insert(std::string(vocab.text(id)));
    return out;
  }

 private Q_SLOTS:
  // Words that fill the same slots of the same templates must end up nearest to each other.
  void plantedClassesCluster() {
    const std::vector<std::vector<std::string>> classes = {
        {"monday", "tuesday", "wednesday", "thursday", "friday"},
        {"cat", "dog", "horse", "sheep", "goat"},
        {"red", "green", "blue", "yellow", "purple"}};
    const char* templates[] = {"we met on %s at noon", "the %s ate grass in the field",
                               "the %s paint was dry"};
    std::mt19937 rng(9);
    std::string text;
    for (int i = 0; i < 6000; ++i) {
      const int c = int(rng() % 3);
      char line[128];
      std::snprintf(line, sizeof line, templates[c], classes[size_t(c)][rng() % 5].c_str());
      text += std::string(line) + "\n";
    }
    QTemporaryDir dir;
    auto corpus = TokenisedCorpus::load({writeFile(dir, "c.txt", text)}, {});
    QVERIFY(corpus.isOk());
    WordVectorOptions o;
    o.dimensions = 8;
    auto vectors = WordVectors::train((*corpus)->tokens, (*corpus)->vocab.size(), o);
    QVERIFY2(vectors.isOk(), vectors.status().message().c_str());
    for (const auto& cls : classes) {
      for (const std::string& w : cls) {
        const auto near = nearestWords(**vectors, (*corpus)->vocab, w.c_str(), 4);
        for (const std::string& n : near) {
          QVERIFY2(
              std::find(cls.begin(), cls.end(), n) != cls.end(),
              qPrintable(QString::fromStdString(w + "'s neighbour " + n + " is of another class")));
        }
      }
    }
    // Unit length.
    double norm = 0.0;
    for (float x : (*vectors)->vector((*corpus)->vocab.lookup("cat"))) norm += double{x} * x;
    QVERIFY(std::abs(norm - 1.0) < 1e-5);
  }

  void kjvNeighboursMakeSense() {
    TokeniserOptions t;
    t.lowercase = true;
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, t);
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    auto vectors = WordVectors::train((*corpus)->tokens, (*corpus)->vocab.size());
    QVERIFY(vectors.isOk());
    QCOMPARE((*vectors)->dimensions(), 64);
    const auto numbers = nearestWords(**vectors, (*corpus)->vocab, "seven", 5);
    int hits = 0;
    for (const char* n :
         {"two", "three", "four", "five", "six", "eight", "nine", "ten", "twelve"}) {
      hits += numbers.count(n);
    }
    QVERIFY2(hits >= 4, "seven's nearest words should be other numbers");
    QVERIFY(nearestWords(**vectors, (*corpus)->vocab, "gold", 3).count("silver"));
  }

  // Learnt from a memory's instances while the memory is built, the vectors must be those of the
  // memory itself, to the bit (windows of 4 and of 1, below and above the pair window of 2).
  void instancesGiveTheirMemorysVectors() {
    TokeniserOptions t;
    t.lowercase = true;
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, t);
    QVERIFY2(corpus.isOk(), corpus.status().message().c_str());
    WordVectorOptions o;
    o.dimensions = 16;
    for (const int width : {4, 1}) {
      WindowOptions w;
      w.width = width;
      auto all = buildInstances((*corpus)->tokens, (*corpus)->paddingId, w);
      QVERIFY(all.isOk());
      const InstanceSet instances = all->slice(0, 200000);
      InstanceBase memory(width);
      QVERIFY(memory.add(instances).isOk());
      QVERIFY(memory.vectorCount() < instances.size());  // repeated contexts count twice and more
      auto fromMemory = WordVectors::train(memory, o);
      auto fromInstances = WordVectors::train(instances, o);
      QVERIFY(fromMemory.isOk() && fromInstances.isOk());
      const std::vector<float>& want = (*fromMemory)->values();
      const std::vector<float>& got = (*fromInstances)->values();
      QCOMPARE(got.size(), want.size());
      QVERIFY(std::memcmp(got.data(), want.data(), got.size() * sizeof(float)) == 0);
    }
  }

  // Cancelled while it counts the instances' pairs, training stops there: no SVD starts.
  void countingInstancesCancels() {
    auto corpus = TokenisedCorpus::load({MEMLENS_DEMO_CORPUS}, {});
    QVERIFY(corpus.isOk());
    auto instances = buildInstances((*corpus)->tokens, (*corpus)->paddingId, {});
    QVERIFY(instances.isOk());
    std::set<std::string> stages;
    JobControl* cancelling = nullptr;
    JobControl job(
        [&](double fraction, const std::string& stage) {
          stages.insert(stage);
          if (stage == "counting word contexts" && fraction > 0.0) cancelling->cancel();
        },
        std::chrono::milliseconds(0));
    cancelling = &job;
    QCOMPARE(WordVectors::train(*instances, {}, &job).status().code(), Status::Code::kCancelled);
    QVERIFY(stages.count("counting word contexts"));
    QVERIFY(!stages.count("randomised SVD"));
  }

  // The SVD's products on both cores must be Eigen's one-thread products to the bit: every
  // element the same sum in the same order (a PPMI-like matrix: skewed rows, values of many
  // magnitudes, so that another order rounds differently).
  void sparseProductsAreEigens() {
    std::mt19937_64 rng(3);
    std::lognormal_distribution<double> value(0.0, 2.0);
    std::normal_distribution<double> gauss;
    const Eigen::Index rows = 1500, columns = 6000, rank = 37;
    std::vector<Eigen::Triplet<double>> entries;
    for (Eigen::Index r = 0; r < rows; ++r) {
      const Eigen::Index n = 1 + static_cast<Eigen::Index>(rng() % (r % 50 == 0 ? 3000 : 40));
      for (Eigen::Index k = 0; k < n; ++k)
        entries.emplace_back(r, static_cast<Eigen::Index>(rng() % columns), value(rng));
    }
    RowSparse a(rows, columns);
    a.setFromTriplets(entries.begin(), entries.end());
    Eigen::MatrixXd omega(columns, rank), q(rows, rank);
    for (Eigen::Index i = 0; i < omega.size(); ++i) omega.data()[i] = gauss(rng);
    for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = gauss(rng);
    const Eigen::MatrixXd wantTimes = a * omega, wantTransposed = a.transpose() * q;
    const Eigen::MatrixXd gotTimes = times(a, omega), gotTransposed = transposeTimes(a, q);
    QCOMPARE(gotTimes.rows(), rows);
    QCOMPARE(gotTransposed.rows(), columns);
    QVERIFY(std::memcmp(gotTimes.data(), wantTimes.data(), sizeof(double) * rows * rank) == 0);
    QVERIFY(std::memcmp(gotTransposed.data(), wantTransposed.data(),
                        sizeof(double) * columns * rank) == 0);
  }

  // With at most dimensions + oversampling words the randomised range finder spans every row,
  // so the vectors must be the exact truncated SVD's: U·Σ^½ of the PPMI matrix (here from its
  // definition, a dense JacobiSVD), rows normalised. The vectors are compared by their pairwise
  // cosines, which do not depend on each singular vector's sign.
  void fewWordsGiveTheExactSvd() {
    const uint32_t words = 20;
    WordVectorOptions o;
    o.dimensions = 6;
    const int slots = 2 * o.window;
    const uint64_t columns = uint64_t{words} * uint64_t(slots);
    std::mt19937_64 rng(11);
    std::geometric_distribution<int> count(0.3);
    WordVectors::PairCounts pairs;
    for (uint32_t w = 0; w < words; ++w) {
      for (uint64_t c = 0; c < columns; ++c) {
        // Each word's own band of contexts, and sparse noise: rows of different spectra.
        if ((c / 7) % 4 == w % 4 || rng() % 5 == 0) pairs[w * columns + c] = 1 + count(rng);
      }
    }
    Eigen::MatrixXd ppmi = Eigen::MatrixXd::Zero(words, Eigen::Index(columns));
    Eigen::VectorXd rowTotal = Eigen::VectorXd::Zero(words);
    Eigen::VectorXd columnTotal = Eigen::VectorXd::Zero(Eigen::Index(columns));
    double total = 0.0;
    for (const auto& [key, c] : pairs) {
      rowTotal[Eigen::Index(key / columns)] += c;
      columnTotal[Eigen::Index(key % columns)] += c;
      total += c;
    }
    const Eigen::VectorXd smoothed = columnTotal.array().pow(o.smoothing);
    for (const auto& [key, c] : pairs) {
      const auto w = Eigen::Index(key / columns), k = Eigen::Index(key % columns);
      const double pmi =
          std::log((c / total) / ((rowTotal[w] / total) * (smoothed[k] / smoothed.sum())));
      ppmi(w, k) = std::max(pmi, 0.0);
    }
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(ppmi, Eigen::ComputeThinU);
    Eigen::MatrixXd want = svd.matrixU().leftCols(o.dimensions) *
                           svd.singularValues().head(o.dimensions).cwiseSqrt().asDiagonal();
    want.rowwise().normalize();
    auto vectors = WordVectors::fromPairCounts(pairs, words, o);
    QVERIFY2(vectors.isOk(), vectors.status().message().c_str());
    for (uint32_t a = 0; a < words; ++a) {
      for (uint32_t b = 0; b < words; ++b) {
        const double cosine = want.row(a).dot(want.row(b));
        QVERIFY2(std::abs((*vectors)->similarity(a, b) - cosine) < 1e-5,
                 qPrintable(QString("words %1 and %2: %3, exactly %4")
                                .arg(a)
                                .arg(b)
                                .arg((*vectors)->similarity(a, b))
                                .arg(cosine)));
      }
    }
  }

  void tooFewTypes() {
    QTemporaryDir dir;
    auto corpus = TokenisedCorpus::load({writeFile(dir, "c.txt", "a b a b\n")}, {});
    auto vectors = WordVectors::train((*corpus)->tokens, (*corpus)->vocab.size());
    QCOMPARE(vectors.status().code(), Status::Code::kInvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestWordVectors)
#include "tst_word_vectors.moc"
