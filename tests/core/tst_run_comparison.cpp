#include <QtTest>

#include "memlens/run_comparison.h"

using namespace memlens;

namespace {

EvaluationReport report(const std::vector<std::pair<uint64_t, uint32_t>>& sourceAndRank) {
  EvaluationReport r;
  for (auto [source, rank] : sourceAndRank) {
    TokenRecord t;
    t.source = source;
    t.rank = rank;
    r.tokens.push_back(t);
  }
  return r;
}

}  // namespace

class TestRunComparison : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void flipsByHand() {
    // Sources 10..14 in both runs (different order in b), 99 only in a, 77 only in b.
    const auto a = report({{10, 1}, {11, 1}, {12, 3}, {13, 2}, {14, 1}, {99, 1}});
    const auto b = report({{14, 5}, {13, 1}, {12, 2}, {11, 1}, {10, 1}, {77, 1}});
    const RunComparison c = compareRuns(a, b);
    QCOMPARE(c.shared, uint64_t{5});
    QCOMPARE(c.bothRight, uint64_t{2});  // 10, 11
    QCOMPARE(c.bothWrong, uint64_t{1});  // 12
    QCOMPARE(c.rightToWrong.size(), size_t{1});
    QCOMPARE(c.rightToWrong[0].source, uint64_t{14});
    QCOMPARE(c.rightToWrong[0].indexA, size_t{4});
    QCOMPARE(c.rightToWrong[0].indexB, size_t{0});
    QCOMPARE(c.wrongToRight.size(), size_t{1});
    QCOMPARE(c.wrongToRight[0].source, uint64_t{13});
  }
};

QTEST_GUILESS_MAIN(TestRunComparison)
#include "tst_run_comparison.moc"
