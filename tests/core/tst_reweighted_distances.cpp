// ReweightedDistances: new weights are taken only when every pair of match patterns compares as
// under the search's weights (less, same, greater; "same" only where the sums are bitwise
// equal), and then every pattern's distance maps to its distance under the new weights.
#include <QtTest>

#include <vector>

#include "edit/reweighted_distances.h"

using namespace memlens;

class TestReweightedDistances : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void keepsTheRelation() {
    // Patterns sum in descending weight order, as the searches sum them.
    const auto r = ReweightedDistances::of({0.5, 1.0, 2.0}, {0.6, 1.1, 2.3});
    QVERIFY(r);
    QCOMPARE(r->weights(), (std::vector<double>{0.6, 1.1, 2.3}));
    QCOMPARE((*r)(0.0), 0.0);
    QCOMPARE((*r)(1.0 + 0.5), 1.1 + 0.6);
    QCOMPARE((*r)(2.0), 2.3);
    QCOMPARE((*r)(2.0 + 1.0 + 0.5), 2.3 + 1.1 + 0.6);
    // Equal distances stay equal: {0, 1} and {2} both sum to 3, then to 6.
    const auto doubled = ReweightedDistances::of({1.0, 2.0, 3.0}, {2.0, 4.0, 6.0});
    QVERIFY(doubled);
    QCOMPARE((*doubled)(3.0), 6.0);
  }

  void refusesAnotherRelation() {
    // {0, 1} was nearer than {2}, now farther.
    QVERIFY(!ReweightedDistances::of({0.5, 1.0, 2.0}, {0.5, 1.0, 1.4}));
    // {0, 1} and {2} were equal; now {2} is nearer, or farther.
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 3.0}, {1.0, 2.0, 2.5}));
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 3.0}, {1.0, 2.0, 3.5}));
    // They become equal.
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 3.5}, {1.0, 2.0, 3.0}));
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 2.5}, {1.0, 2.0, 3.0}));
    // The same distance to sameDistance() but not bitwise: a bucket with two distances.
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 3.0 + 1e-15}, {1.0, 2.0, 3.5}));
    QVERIFY(!ReweightedDistances::of({1.0, 2.0, 3.5}, {1.0, 2.0, 3.0 + 1e-15}));
    // Too wide to measure every pair, or another width.
    QVERIFY(!ReweightedDistances::of(std::vector<double>(11, 1.0), std::vector<double>(11, 1.0)));
    QVERIFY(!ReweightedDistances::of({1.0, 2.0}, {1.0, 2.0, 3.0}));
  }
};

QTEST_GUILESS_MAIN(TestReweightedDistances)
#include "tst_reweighted_distances.moc"
