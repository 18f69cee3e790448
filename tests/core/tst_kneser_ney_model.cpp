#include <QtTest>

#include <numeric>
#include <random>

#include "memlens/kneser_ney_model.h"
#include "test_support.h"

using namespace memlens;
using memlens::test::bigramInstances;

class TestKneserNeyModel : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  // Ids: _=0 a=1 b=2 c=3. Bigrams _a ab ba ab _b bc. Worked by hand:
  //   top order: n1 = 4 (_a ba _b bc), n2 = 1 (ab) -> D2 = 4/6
  //   continuation unigrams: a 2 (_a ba), b 2 (ab _b), c 1 (bc); n1 = 1, n2 = 2 -> D1 = 1/5
  //   p1(w) = max(N - 0.2, 0)/5 + 0.2*3/5 / 5 outcomes: _ 0.024, a 0.384, b 0.384, c 0.184, unk
  //   0.024
  void handComputedBigram() {
    const InstanceSet set = bigramInstances({{0, 1}, {1, 2}, {2, 1}, {1, 2}, {0, 2}, {2, 3}});
    auto model = KneserNeyModel::train(set, 4, {2});
    QVERIFY2(model.isOk(), model.status().message().c_str());
    const KneserNeyModel& m = **model;
    QCOMPARE(m.discounts().size(), size_t{2});
    QVERIFY(qFuzzyCompare(m.discounts()[0], 0.2));
    QVERIFY(qFuzzyCompare(m.discounts()[1], 4.0 / 6.0));

    const uint32_t a[] = {1}, b[] = {2}, c[] = {3};
    QVERIFY(qFuzzyCompare(m.probability(c, 1), 0.384));  // unseen context: unigram
    QVERIFY(qFuzzyCompare(m.probability(c, 0), 0.024));
    QVERIFY(qFuzzyCompare(m.probability(c, 99), 0.024));  // unknown token
    // p(b|a) = (2 - 2/3)/2 + (2/3 * 1/2) * 0.384
    QVERIFY(qFuzzyCompare(m.probability(a, 2), (2 - 2.0 / 3) / 2 + (1.0 / 3) * 0.384));
    QVERIFY(qFuzzyCompare(m.probability(a, 1), (1.0 / 3) * 0.384));
    // p(a|b) = (1 - 2/3)/2 + (2/3 * 2/2) * 0.384
    QVERIFY(qFuzzyCompare(m.probability(b, 1), (1 - 2.0 / 3) / 2 + (2.0 / 3) * 0.384));
  }

  void distributionsSumToOneAndMatchProbability() {
    std::mt19937 rng(7);
    std::uniform_int_distribution<uint32_t> token(0, 199);
    InstanceSet set;
    set.width = 3;
    std::vector<uint32_t> stream(20000);
    for (auto& t : stream) t = token(rng) % (1 + token(rng));  // skewed, Zipf-like
    for (size_t i = 3; i < stream.size(); ++i) {
      set.features.insert(set.features.end(), stream.begin() + long(i) - 3,
                          stream.begin() + long(i));
      set.classes.push_back(stream[i]);
      set.sources.push_back(i);
    }
    auto model = KneserNeyModel::train(set, 250, {3});
    QVERIFY(model.isOk());
    std::vector<double> dist;
    for (size_t q = 0; q < 300; ++q) {
      // Seen contexts for the first half, random (mostly unseen) ones after.
      std::vector<uint32_t> context(set.instance(q * 37).begin(), set.instance(q * 37).end());
      if (q >= 150) context = {token(rng), token(rng), token(rng)};
      (*model)->distribution(context, dist);
      QCOMPARE(dist.size(), size_t{251});
      const double sum = std::accumulate(dist.begin(), dist.end(), 0.0);
      QVERIFY2(std::abs(sum - 1.0) < 1e-9, qPrintable(QString::number(sum, 'g', 17)));
      for (uint32_t t : {0u, 1u, 5u, 199u, 249u, 250u}) {
        QVERIFY(dist[t] > 0.0);
        QVERIFY(std::abs(dist[t] - (*model)->probability(context, t)) < 1e-12);
      }
    }
  }

  // A sharded run fits one model from the counts of consecutive blocks: it must be the model of
  // the whole, to the last bit.
  void countsOfBlocksMergedAreTheWholesModel() {
    std::mt19937 rng(11);
    std::uniform_int_distribution<uint32_t> token(0, 99);
    InstanceSet set;
    set.width = 3;
    std::vector<uint32_t> stream(5000);
    for (auto& t : stream) t = token(rng) % (1 + token(rng));
    for (size_t i = 3; i < stream.size(); ++i) {
      set.features.insert(set.features.end(), stream.begin() + long(i) - 3,
                          stream.begin() + long(i));
      set.classes.push_back(stream[i]);
      set.sources.push_back(i);
    }
    auto whole = KneserNeyModel::train(set, 120, {3});
    QVERIFY(whole.isOk());
    KneserNeyModel::Counts merged(3);
    for (const auto& [begin, end] :
         {std::pair<size_t, size_t>{0, 1700}, {1700, 1701}, {1701, set.size()}}) {
      KneserNeyModel::Counts block(3);
      QVERIFY(block.add(set.slice(begin, end), 120).isOk());
      QVERIFY(merged.addRecords(block.records()));
    }
    auto fitted = KneserNeyModel::fromCounts(std::move(merged), 120);
    QVERIFY(fitted.isOk());
    QVERIFY((*fitted)->discounts() == (*whole)->discounts());  // bitwise, not fuzzy
    QVERIFY((*fitted)->unigram() == (*whole)->unigram());
    for (size_t q = 0; q < set.size(); q += 7) {
      const auto context = set.instance(q);
      for (uint32_t t : {set.classes[q], 0u, 57u, 120u})
        QVERIFY((*fitted)->probability(context, t) == (*whole)->probability(context, t));
    }
    QVERIFY(!merged.addRecords(std::vector<uint32_t>(5, 1)));  // not whole records
  }

  void badArguments() {
    const InstanceSet set = bigramInstances({{0, 1}});
    QCOMPARE(KneserNeyModel::train(set, 4, {3}).status().code(), Status::Code::kInvalidArgument);
    QCOMPARE(KneserNeyModel::train(set, 4, {0}).status().code(), Status::Code::kInvalidArgument);
    QCOMPARE(KneserNeyModel::train(set, 1, {2}).status().code(), Status::Code::kInvalidArgument);
    QCOMPARE(KneserNeyModel::train(InstanceSet{1, {}, {}, {}}, 4, {2}).status().code(),
             Status::Code::kInvalidArgument);
  }

  void cancel() {
    const InstanceSet set = bigramInstances({{0, 1}, {1, 2}});
    JobControl job;
    job.cancel();
    QVERIFY(KneserNeyModel::train(set, 4, {2}, &job).status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestKneserNeyModel)
#include "tst_kneser_ney_model.moc"
