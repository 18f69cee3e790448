// firstWhere(): the first failing index of an array, whether it is checked in one pass or split
// over the cores (arrays of a million elements and more), wherever the failures lie.
#include <QtTest>
#include <algorithm>
#include <vector>

#include "base/first_where.h"

using namespace memlens;

class TestFirstWhere : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void findsTheFirstFailure_data() {
    QTest::addColumn<qulonglong>("rows");
    QTest::newRow("one pass") << qulonglong{10'000};
    QTest::newRow("over the cores") << qulonglong{5'000'000};
  }

  void findsTheFirstFailure() {
    QFETCH(qulonglong, rows);
    const auto size = static_cast<size_t>(rows);
    std::vector<uint32_t> values(size, 1);
    const auto bad = [&](uint32_t v, size_t) { return v == 0; };
    QCOMPARE(firstWhere(std::span<const uint32_t>(values), bad), values.size());
    // Failures at block and range edges, the last one first; each time also one later.
    std::vector<size_t> places = {size - 1, size / 2 + 4095, size / 3, 4096, 0};
    std::sort(places.rbegin(), places.rend());
    for (const size_t at : places) {
      values[at] = 0;
      if (at + 7 < size) values[at + 7] = 0;
      QCOMPARE(firstWhere(std::span<const uint32_t>(values), bad), at);
    }
  }

  void passesTheIndex() {
    std::vector<uint32_t> values(3'000'000);
    for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint32_t>(i);
    values[2'500'000] = 7;
    QCOMPARE(
        firstWhere(std::span<const uint32_t>(values), [](uint32_t v, size_t i) { return v != i; }),
        size_t{2'500'000});
  }
};

QTEST_APPLESS_MAIN(TestFirstWhere)
#include "tst_first_where.moc"
