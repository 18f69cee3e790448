#include <QtTest>

#include <algorithm>
#include <numeric>

#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/vector_instance_order.h"

using namespace memlens;

namespace {

uint32_t totalOf(const InstanceBase& base, uint32_t id) {
  uint32_t n = 0;
  for (const ClassCount& c : base.distribution(id)) n += c.count;
  return n;
}

}  // namespace

class TestVectorInstanceOrder : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // The radix sort against a stable comparison sort: counts on both sides of 65,536 (the second
  // digit), ties, vectors of two classes; and its cancel.
  void ordersByInstancesAsAComparisonSortDoes() {
    const uint32_t counts[] = {5, 65541, 1, 70000, 5, 131071, 65536, 70000, 2, 65535, 1, 196613};
    const uint32_t n = std::size(counts);
    std::vector<uint32_t> values(n);
    std::iota(values.begin(), values.end(), 0u);
    std::vector<InstanceBase::Run> runs;
    for (uint32_t id = 0; id < n; ++id) {
      // Every third vector splits its instances between two classes.
      if (id % 3 == 0 && counts[id] > 1) runs.push_back({id, 1, counts[id] / 2});
      runs.push_back({id, 0, counts[id] - (id % 3 == 0 && counts[id] > 1 ? counts[id] / 2 : 0)});
    }
    auto base = InstanceBase::fromRuns(1, values, {7, 8}, runs);
    QVERIFY(base.isOk());
    for (uint32_t id = 0; id < n; ++id) {
      QCOMPARE(totalOf(*base, id), counts[id]);
      QCOMPARE(vectorInstances(*base, id), counts[id]);
    }
    std::vector<uint32_t> expected(n);
    std::iota(expected.begin(), expected.end(), 0u);
    std::ranges::stable_sort(
        expected, [&](uint32_t a, uint32_t b) { return totalOf(*base, a) > totalOf(*base, b); });
    const auto ordered = vectorsByInstances(*base);
    QVERIFY(ordered.isOk());
    QCOMPARE(*ordered, expected);
    JobControl cancelled;
    cancelled.cancel();
    QVERIFY(vectorsByInstances(*base, &cancelled).status().isCancelled());
  }
};

QTEST_GUILESS_MAIN(TestVectorInstanceOrder)
#include "tst_vector_instance_order.moc"
