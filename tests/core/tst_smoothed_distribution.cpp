#include <QtTest>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memlens/kneser_ney_model.h"
#include "memlens/memory_smoother.h"

using namespace memlens;

namespace {

// Each token of `stream` from the two before it.
InstanceSet trigrams(const std::vector<uint32_t>& stream) {
  InstanceSet set;
  set.width = 2;
  for (size_t i = 2; i < stream.size(); ++i) {
    set.features.insert(set.features.end(), {stream[i - 2], stream[i - 1]});
    set.classes.push_back(stream[i]);
    set.sources.push_back(i);
  }
  return set;
}

}  // namespace

// The sparse distribution against brute force over the dense one (computed independently by
// KneserNeyModel::probability, which walks the orders without SmoothedDistribution).
class TestSmoothedDistribution : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void matchesBruteForce() {
    std::mt19937 rng(11);
    std::uniform_int_distribution<uint32_t> token(0, 299);
    std::vector<uint32_t> stream(30000);
    for (auto& t : stream) t = token(rng) % (1 + token(rng) % 60);  // skewed; ids >= 60 never seen
    const InstanceSet set = trigrams(stream);
    auto model = KneserNeyModel::train(set, 300, {3});
    QVERIFY(model.isOk());
    const KneserNeyModel& m = **model;

    SmoothedDistribution sparse;
    for (int q = 0; q < 200; ++q) {
      const uint32_t context[] = {stream[size_t(q) * 11], stream[size_t(q) * 11 + 1]};
      Prediction vote;
      vote.classId = token(rng);
      vote.distribution = {{vote.classId, 2.0 + q % 3}, {token(rng), 1.0}, {299, 0.5}};
      vote.instances = 3 + q % 3;
      const MemorySmoother smoother(m, q % 2 ? 0.1 : 3.0);
      smoother.smoothed(vote, context, sparse);

      std::vector<double> dense(301);
      double sum = 0.0, entropy = 0.0;
      for (uint32_t w = 0; w <= 300; ++w) {
        dense[w] = smoother.probability(vote, context, w);
        sum += dense[w];
        entropy -= dense[w] * std::log2(dense[w]);
      }
      QVERIFY(std::abs(sum - 1.0) < 1e-9);
      QVERIFY2(std::abs(sparse.entropyBits() - entropy) < 1e-9,
               qPrintable(QString("%1 vs %2").arg(sparse.entropyBits()).arg(entropy)));
      for (uint32_t w = 0; w <= 300; w += 7) {
        QVERIFY(std::abs(sparse.probability(w) - dense[w]) < 1e-12);
        uint64_t above = 0;
        for (double p : dense) above += p > dense[w] * (1 + 1e-12);
        QCOMPARE(sparse.countAboveOutcome(w), above);
      }
    }
  }

  // The entropy reads each outcome's u·log2(u) from a table the model keeps; a loaded model
  // makes it again (it is not saved), so its entropies are the trained model's to the bit.
  void entropyTableSurvivesLoading() {
    std::mt19937 rng(5);
    std::vector<uint32_t> stream(5000);
    for (auto& t : stream) t = rng() % (1 + rng() % 80);
    auto trained = KneserNeyModel::train(trigrams(stream), 100, {3});
    QVERIFY(trained.isOk());
    std::FILE* file = std::tmpfile();
    QVERIFY(file);
    ByteWriter out(file, 0, nullptr);
    (*trained)->save(out);
    QVERIFY(out.status().isOk());
    std::string bytes(static_cast<size_t>(out.offset()), '\0');
    std::rewind(file);
    QCOMPARE(std::fread(bytes.data(), 1, bytes.size(), file), bytes.size());
    std::fclose(file);
    ByteReader in(bytes);
    auto loaded = KneserNeyModel::load(in, 100);
    QVERIFY2(loaded.isOk(), loaded.status().message().c_str());
    for (const KneserNeyModel* m : {trained->get(), loaded->get()}) {
      QCOMPARE(m->unigramPlogps().size(), m->unigram().size());
      for (size_t w = 0; w < m->unigram().size(); ++w)
        QVERIFY(m->unigramPlogps()[w] == m->unigram()[w] * std::log2(m->unigram()[w]));
    }
    SmoothedDistribution a, b;
    for (size_t q = 0; q + 1 < 400; q += 2) {
      const uint32_t context[] = {stream[q], stream[q + 1]};
      (*trained)->smoothed(context, a);
      (*loaded)->smoothed(context, b);
      const double ha = a.entropyBits(), hb = b.entropyBits();
      QVERIFY(std::memcmp(&ha, &hb, sizeof ha) == 0);
    }
  }
};

QTEST_GUILESS_MAIN(TestSmoothedDistribution)
#include "tst_smoothed_distribution.moc"
