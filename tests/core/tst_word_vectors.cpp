#include <QtTest>

#include <cmath>
#include <random>
#include <set>

#include "memlens/tokenised_corpus.h"
#include "memlens/word_vectors.h"
#include "test_support.h"

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

  void tooFewTypes() {
    QTemporaryDir dir;
    auto corpus = TokenisedCorpus::load({writeFile(dir, "c.txt", "a b a b\n")}, {});
    auto vectors = WordVectors::train((*corpus)->tokens, (*corpus)->vocab.size());
    QCOMPARE(vectors.status().code(), Status::Code::kInvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestWordVectors)
#include "tst_word_vectors.moc"
